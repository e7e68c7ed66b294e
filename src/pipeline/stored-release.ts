import type { Release } from '../release/types.js';

/** A {@link Release} as JSON: the same fields, instants as ISO 8601 strings. */
export type StoredRelease = Omit<Release, 'published' | 'updated'> & {
  published: string;
  updated?: string;
  /**
   * ISO 8601: when the pipeline first made the release public — its upload for a back-dated
   * release, the publish-due run for an embargoed one. Kept across edits. The digest mails by it.
   */
  firstPublishedAt?: string;
};

/** Serialisable form of a release. */
export function storeRelease(release: Release, firstPublishedAt?: string): StoredRelease {
  const { published, updated, ...rest } = release;
  return {
    ...rest,
    published: published.toISOString(),
    ...(updated === undefined ? {} : { updated: updated.toISOString() }),
    ...(firstPublishedAt === undefined ? {} : { firstPublishedAt }),
  };
}

/** The release back from its stored form (the inverse of {@link storeRelease}). */
export function loadRelease(stored: StoredRelease): Release {
  const { published, updated, firstPublishedAt: _pipelineOnly, ...rest } = stored;
  return {
    ...rest,
    published: new Date(published),
    ...(updated === undefined ? {} : { updated: new Date(updated) }),
  };
}

/** Newest first, ties by `sourcePath` (the site's one ordering rule) on stored releases. */
export function compareStoredNewestFirst(
  a: Pick<StoredRelease, 'published' | 'sourcePath'>,
  b: Pick<StoredRelease, 'published' | 'sourcePath'>,
): number {
  const byDate = Date.parse(b.published) - Date.parse(a.published);
  if (byDate !== 0) return byDate;
  if (a.sourcePath === b.sourcePath) return 0;
  return a.sourcePath < b.sourcePath ? -1 : 1;
}
