import * as v from 'valibot';
import { type ArchiveMonth, localMonth } from '../pages/archive-page.js';
import { documentOf } from '../shared/document-store.js';
import { archivedEntryShape } from './document-schemas.js';
import { monthKey } from './state-keys.js';
import { compareStoredNewestFirst, type StoredRelease } from './stored-release.js';

export type { ArchiveMonth };
export { monthKey };

/** What the archive keeps of a release: everything but the body. */
export type ArchiveRelease = Omit<StoredRelease, 'contentHtml'>;

/** One public release in a month's archive. */
export interface MonthEntry {
  key: string;
  release: ArchiveRelease;
}

/**
 * Every public release published in one month (in the site's time zone), newest first: the unit
 * the archive pages, sitemaps and window refills are made of. A month is bounded by how much a
 * city publishes in a month, not by the size of the archive. Its entries carry category and
 * language, so per-scope archive feeds can be derived from it without reading records.
 */
export interface MonthDoc {
  version: 1;
  month: ArchiveMonth;
  entries: MonthEntry[];
}

/** An empty month. */
export function emptyMonth(month: ArchiveMonth): MonthDoc {
  return { version: 1, month, entries: [] };
}

/** The archive's copy of a release. */
export function toArchiveRelease(release: StoredRelease): ArchiveRelease {
  const { contentHtml: _body, ...rest } = release;
  return rest;
}

/** The month (`YYYY-MM`) of an instant in `timeZone`. */
export function monthIn(instant: string | Date, timeZone: string): ArchiveMonth {
  return localMonth(typeof instant === 'string' ? new Date(instant) : instant, timeZone);
}

/**
 * The month after the release at `key` became `release` (`undefined`: gone, not public, or
 * published in another month).
 */
export function placeInMonth(
  doc: MonthDoc,
  key: string,
  release: StoredRelease | undefined,
  timeZone: string,
): MonthDoc {
  const entries = doc.entries.filter((entry) => entry.key !== key);
  if (release !== undefined && monthIn(release.published, timeZone) === doc.month) {
    const archived = toArchiveRelease(release);
    const at = entries.findIndex((entry) => compareStoredNewestFirst(archived, entry.release) < 0);
    entries.splice(at === -1 ? entries.length : at, 0, { key, release: archived });
  }
  return { ...doc, entries };
}

/** `state/months/…`: one month's public releases. */
export const monthDocSchema = documentOf<MonthDoc>(
  v.looseObject({ version: v.literal(1), month: v.string(), entries: v.array(archivedEntryShape) }),
);
