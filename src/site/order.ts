import type { Release } from '../release/types.js';

/**
 * The one ordering rule of the site: newest `published` first, ties broken by `sourcePath` in
 * ascending code-unit order (never locale-aware, so every machine sorts alike).
 */
export function compareNewestFirst(
  a: Pick<Release, 'published' | 'sourcePath'>,
  b: Pick<Release, 'published' | 'sourcePath'>,
): number {
  const byDate = b.published.getTime() - a.published.getTime();
  if (byDate !== 0) return byDate;
  return compareCodeUnits(a.sourcePath, b.sourcePath);
}

/** Plain UTF-16 code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * A sorted copy of `releases`, newest first (see {@link compareNewestFirst}), cut to at most
 * `limit` items. Feeds, pages, the index and the digest all take their releases through this.
 */
export function newestFirst<T extends Pick<Release, 'published' | 'sourcePath'>>(
  releases: readonly T[],
  limit = Number.POSITIVE_INFINITY,
): T[] {
  const sorted = [...releases].sort(compareNewestFirst);
  return sorted.length > limit ? sorted.slice(0, Math.max(0, limit)) : sorted;
}
