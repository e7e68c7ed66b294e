import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { releasePageFile } from '../site/files.js';
import type { SiteWriter } from './files.js';

/** Pages claimed at a time from a shared counter. */
export const PAGE_BATCH = 32;

/** One release page to write: the release (by `sourcePath`) under its resolved slug and URL. */
export interface PageJob {
  sourcePath: string;
  slug: string;
  url: string;
}

/** A list of pages that threads write together. */
export interface PageShare {
  outDir: string;
  site: SiteConfig;
  jobs: readonly PageJob[];
  /** One Int32 (on a SharedArrayBuffer when threads share the list): the next unclaimed job. */
  next: Int32Array;
}

/**
 * Claims batches of `share.jobs` until none are left, and renders and writes each page from the
 * release `releases` holds under the job's `sourcePath`.
 */
export function writeClaimedPages(
  share: Pick<PageShare, 'site' | 'jobs' | 'next'>,
  releases: ReadonlyMap<string, Release>,
  writer: SiteWriter,
): void {
  const { site, jobs, next } = share;
  for (;;) {
    const start = Atomics.add(next, 0, PAGE_BATCH);
    if (start >= jobs.length) return;
    for (const { sourcePath, slug, url } of jobs.slice(start, start + PAGE_BATCH)) {
      const release = releases.get(sourcePath);
      if (release === undefined) throw new Error(`no parsed release for the page of ${sourcePath}`);
      writer.write(releasePageFile({ ...release, slug, url }, site));
    }
  }
}
