import type { Release } from './types.js';

/** Default for `NOTIFY_MAX_AGE`: a release older than this when it first goes public is not mailed. */
export const DEFAULT_NOTIFY_MAX_AGE_MS = 48 * 60 * 60 * 1000;

/**
 * True when a release was already older than `maxAgeMs` at the moment it first became public: an
 * archive import or a re-upload of an old release. It goes on the site and into feeds, but no
 * resident is mailed about it (neither immediately nor in a digest). An embargoed release becomes
 * public at its own date, so it is never an import.
 */
export function isArchiveImport(
  release: Pick<Release, 'published'>,
  firstPublishedAt: Date,
  maxAgeMs: number = DEFAULT_NOTIFY_MAX_AGE_MS,
): boolean {
  return firstPublishedAt.getTime() - release.published.getTime() > maxAgeMs;
}

/**
 * Reads a duration such as `48h`, `2d`, `90m` or a bare number of hours (`NOTIFY_MAX_AGE`).
 *
 * @returns milliseconds, or `undefined` when the text is not such a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd]?)$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const minutes = { m: 1, h: 60, d: 24 * 60, '': 60 }[unit] ?? 60;
  return Math.round(Number(match[1]) * minutes * 60 * 1000);
}
