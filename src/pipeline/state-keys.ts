import { createHash } from 'node:crypto';

/** Everything the pipeline keeps lives under this prefix of the releases bucket. */
export const STATE_PREFIX = 'state/';
export const RECORDS_PREFIX = 'state/releases/';
export const WINDOWS_PREFIX = 'state/windows/';
export const MONTHS_PREFIX = 'state/months/';
export const SLUGS_PREFIX = 'state/slugs/';
/** Withdrawn releases by page address (src/pipeline/withdrawn.ts). */
export const WITHDRAWN_PREFIX = 'state/withdrawn/';
/** Translation groups by `translationKey` (src/pipeline/translations.ts). */
export const TRANSLATIONS_PREFIX = 'state/translations/';
/** The site index: which categories, languages, months and years exist. */
export const SITE_INDEX_KEY = 'state/site.json';
/** Releases under embargo, soonest first. */
export const EMBARGO_KEY = 'state/embargo.json';

/**
 * Where the record of the release at `key` is kept: a digest of the key, so any key (spaces,
 * ä/ö, `+`, long paths) maps to a short, safe name.
 */
export function recordKey(key: string): string {
  return `${RECORDS_PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}.json`;
}

/** Where a slug's claim is kept: whoever created it first owns the slug. */
export function slugClaimKey(slug: string): string {
  return `${SLUGS_PREFIX}${slug}.json`;
}

/** Where one month's archive entries are kept (`YYYY-MM`). */
export function monthKey(month: string): string {
  return `${MONTHS_PREFIX}${month}.json`;
}
