import { createHash } from 'node:crypto';
import { headEtag } from '../adapters/head.js';
import {
  ALL_SCOPE,
  categoryScope,
  FEED_FILES,
  type FeedScope,
  langScope,
} from '../feeds/scopes.js';
import { siteWideFiles } from '../pages/not-found-page.js';
import type { ObjectStore } from '../shared/ports.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import {
  archiveFile,
  archivePagePath,
  categoryFeedPaths,
  feedFiles,
  indexFile,
  releasePageFile,
  sitemapFiles,
  yearSitemapFile,
  yearSitemapPath,
} from '../site/files.js';
import { releasePagePath } from '../site/slugs.js';
import type { SiteIndexDoc } from './site-index.js';
import { loadRelease, type StoredRelease } from './stored-release.js';
import { isEmptyScope, type ScopeRef, type WindowDoc } from './windows.js';
import type { YearDoc } from './years.js';

/** Public files to (re)write and to remove. */
export interface OutputPlan {
  files: SiteFile[];
  deletions: string[];
}

/** What the affected public files are rendered from. */
export interface OutputInputs {
  /** The release's page: written when `publicRelease` is set, else removed (when a slug exists). */
  page?: { slug: string; publicRelease?: StoredRelease };
  windows: readonly WindowDoc[];
  years: readonly YearDoc[];
  siteIndex: SiteIndexDoc;
}

/** The feed scope (with its display name) a window renders as. */
export function feedScopeOf(window: WindowDoc): FeedScope {
  const scope: ScopeRef = window.scope;
  switch (scope.kind) {
    case 'all':
      return ALL_SCOPE;
    case 'category':
      return categoryScope(
        scope.categorySlug,
        window.entries[0]?.release.category ?? scope.categorySlug,
      );
    case 'lang':
      return langScope(scope.lang);
  }
}

/** Every scope of the site, as the full build lists them: all, categories by slug, languages. */
export function scopesOfIndex(index: SiteIndexDoc): FeedScope[] {
  return [
    ALL_SCOPE,
    ...index.categories.map((category) => categoryScope(category.slug, category.name)),
    ...index.langs.map(langScope),
  ];
}

/**
 * Renders the public files that depend on the given documents, with the site build's own per-file
 * renderers (src/site/files.ts), so the result is byte-identical to a full build: a scope's feeds
 * from its window, a year's archive page from its year document, the front page from the `all`
 * window and the site index, and the release's own page. Scopes and years left empty are removed,
 * as a full build would not produce them (the site-wide feeds always exist).
 */
export function planOutputs(inputs: OutputInputs, site: SiteConfig): OutputPlan {
  const files: SiteFile[] = [];
  const deletions: string[] = [];
  if (inputs.page) {
    const path = releasePagePath(inputs.page.slug);
    if (inputs.page.publicRelease) {
      files.push(releasePageFile(loadRelease(inputs.page.publicRelease), site));
    } else {
      deletions.push(path);
    }
  }
  for (const window of inputs.windows) {
    const scope = feedScopeOf(window);
    if (scope.kind !== 'all' && isEmptyScope(window)) {
      deletions.push(
        ...(scope.kind === 'category'
          ? categoryFeedPaths(scope, site)
          : Object.values(FEED_FILES).map((name) => scope.folder + name)),
      );
      continue;
    }
    const releases = window.entries.slice(0, site.feedLimit).map((entry) => entry.release);
    files.push(...feedFiles(scope, releases.map(loadRelease), site));
    if (scope.kind === 'all') {
      files.push(
        indexFile(
          window.entries.map((entry) => loadRelease(entry.release)),
          site,
          scopesOfIndex(inputs.siteIndex),
          inputs.siteIndex.years,
        ),
        ...siteWideFiles(site),
        ...sitemapFiles(inputs.siteIndex.years, site),
      );
    }
  }
  for (const year of inputs.years) {
    if (year.entries.length === 0) {
      deletions.push(archivePagePath(year.year), yearSitemapPath(year.year));
      continue;
    }
    const releases = year.entries.map((entry) =>
      loadRelease({ ...entry.release, contentHtml: '' }),
    );
    files.push(archiveFile(year.year, releases, site), yearSitemapFile(year.year, releases, site));
  }
  return { files, deletions };
}

/** What writing a plan did. */
export interface WriteOutcome {
  written: string[];
  deleted: string[];
  unchanged: string[];
}

/**
 * Writes the plan to the public bucket, skipping every file whose content is already there (its
 * ETag, an MD5 for single-part uploads, equals the body's MD5), so unchanged files keep their ETag
 * and readers' conditional GETs keep answering 304. Current ETags come from a listing per small
 * folder (`feeds/`, `archive/`, `sitemaps/`) and a HEAD per other file.
 */
export async function writePlan(store: ObjectStore, plan: OutputPlan): Promise<WriteOutcome> {
  const paths = [...plan.files.map((file) => file.path), ...plan.deletions];
  const etags = await currentEtags(store, paths);
  const outcome: WriteOutcome = { written: [], deleted: [], unchanged: [] };
  await Promise.all([
    ...plan.files.map(async (file) => {
      if (etags.get(file.path) === md5Etag(file.body)) {
        outcome.unchanged.push(file.path);
        return;
      }
      await store.put(file.path, file.body, {
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
      outcome.written.push(file.path);
    }),
    ...plan.deletions.map(async (path) => {
      if (!etags.has(path)) return;
      await store.delete(path);
      outcome.deleted.push(path);
    }),
  ]);
  for (const list of Object.values(outcome)) list.sort();
  return outcome;
}

/** The quoted MD5 hex digest S3 gives a single-part upload of `body` as its ETag. */
export function md5Etag(body: string | Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Folders of a few dozen files whatever the archive's size: one listing beats a HEAD per file. */
const LISTED_FOLDERS = ['feeds/', 'archive/', 'sitemaps/'];

/**
 * ETags of the objects at `paths` that exist: one listing for each of {@link LISTED_FOLDERS}
 * concerned, a HEAD (or a one-key listing) for the others.
 */
async function currentEtags(
  store: ObjectStore,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Set(paths);
  const folders = new Set<string>();
  const singles: string[] = [];
  for (const path of wanted) {
    const folder = LISTED_FOLDERS.find((prefix) => path.startsWith(prefix));
    if (folder === undefined) singles.push(path);
    else folders.add(folder);
  }
  const etags = new Map<string, string>();
  await Promise.all([
    ...[...folders].map(async (prefix) => {
      for await (const summary of store.list(prefix)) {
        if (wanted.has(summary.key)) etags.set(summary.key, summary.etag);
      }
    }),
    ...singles.map(async (path) => {
      const etag = await headEtag(store, path);
      if (etag !== undefined) etags.set(path, etag);
    }),
  ]);
  return etags;
}
