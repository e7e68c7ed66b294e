import { yearKey } from './state-keys.js';
import { compareStoredNewestFirst, type StoredRelease } from './stored-release.js';

/** What the archive keeps of a release: everything but the body. */
export type ArchiveRelease = Omit<StoredRelease, 'contentHtml'>;

/** One public release in a year's archive. */
export interface YearEntry {
  key: string;
  release: ArchiveRelease;
}

/** Every public release published in one year (in the site's time zone), newest first. */
export interface YearDoc {
  version: 1;
  year: number;
  entries: YearEntry[];
}

export { yearKey };

/** An empty year. */
export function emptyYear(year: number): YearDoc {
  return { version: 1, year, entries: [] };
}

/** The archive's copy of a release. */
export function toArchiveRelease(release: StoredRelease): ArchiveRelease {
  const { contentHtml: _body, ...rest } = release;
  return rest;
}

/** The calendar year of an instant in `timeZone`. */
export function yearIn(instant: string | Date, timeZone: string): number {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const year = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' })
    .formatToParts(date)
    .find((part) => part.type === 'year')?.value;
  return Number(year);
}

/**
 * The year after the release at `key` became `release` (`undefined`: gone, not public, or
 * published in another year).
 */
export function placeInYear(
  doc: YearDoc,
  key: string,
  release: StoredRelease | undefined,
  timeZone: string,
): YearDoc {
  const entries = doc.entries.filter((entry) => entry.key !== key);
  if (release !== undefined && yearIn(release.published, timeZone) === doc.year) {
    const archived = toArchiveRelease(release);
    const at = entries.findIndex((entry) => compareStoredNewestFirst(archived, entry.release) < 0);
    entries.splice(at === -1 ? entries.length : at, 0, { key, release: archived });
  }
  return { ...doc, entries };
}
