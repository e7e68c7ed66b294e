import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { ReleaseProblem } from '../release/types.js';
import { documentOf } from '../shared/document-store.js';
import type { SiteConfig } from '../site/config.js';
import { placementShape, storedReleaseShape, withdrawalFields } from './document-schemas.js';
import { monthIn } from './months.js';
import type { StaffOutcomeNotice } from './notifier.js';
import type { StoredRelease } from './stored-release.js';
import type { StoredWithdrawal } from './withdrawn.js';

/** Where a release sits in the derived documents: its month and its category and language scopes. */
export interface Placement {
  /** `YYYY-MM` in the site's time zone (absent in placements recorded before months). */
  month?: string;
  categorySlug: string;
  lang: string;
  /** The release's `translationKey`: its translation group links it (src/pipeline/translations.ts). */
  translationKey?: string;
}

/**
 * What the pipeline knows about one object under `releases/`: the source version it last read,
 * the accepted release (the last good version, which stays public while a newer upload is
 * rejected) and the slug claimed at first publication.
 */
export interface ReleaseRecord {
  version: 1;
  key: string;
  /** Highest event sequencer seen for the key. */
  sequencer?: string;
  /** ETag of the source version last read; absent once the object is gone. */
  sourceEtag?: string;
  /** Fingerprint of the parse options the source was read with (a config change re-parses). */
  parsedWith?: string;
  /** The accepted release, its slug already the claimed one. */
  release?: StoredRelease;
  /** The slug this key owns (kept across edits; released on deletion). */
  slug?: string;
  /** Set while the current source version is rejected. */
  rejected?: { problem: ReleaseProblem; at: string };
  /** Whether the first publication was announced on the notification queue. */
  announced?: boolean;
  /** Placements of earlier versions that derived documents may still hold. */
  lingering: Placement[];
  /**
   * What staff are still to be told about the last accepted upload event (sent once the public
   * side is written, then cleared; a crash in between sends it on the retry).
   */
  pendingOutcome?: PendingOutcome;
  /**
   * Set when the public release was deleted: what its withdrawn page shows. Kept in the record so
   * a batch that fails before `state/withdrawn/` is written writes it on the retry.
   */
  withdrawn?: StoredWithdrawal;
}

/** A staff outcome notice without its envelope (`type`, `to`), kept in the record until sent. */
export type PendingOutcome = Omit<StaffOutcomeNotice, 'type' | 'to'>;

/** A record for a key seen for the first time. */
export function newRecord(key: string): ReleaseRecord {
  return { version: 1, key, lingering: [] };
}

/** The release's placement (its month is taken in the site's time zone). */
export function placementOf(release: StoredRelease, timeZone: string): Placement {
  return {
    month: monthIn(release.published, timeZone),
    categorySlug: release.categorySlug,
    lang: release.lang,
    ...(release.translationKey === undefined ? {} : { translationKey: release.translationKey }),
  };
}

/** Whether two placements name the same month, scopes and translation group. */
export function samePlacement(a: Placement, b: Placement): boolean {
  return placementId(a) === placementId(b);
}

function placementId(placement: Placement): string {
  const { month, categorySlug, lang, translationKey } = placement;
  return `${month}\0${categorySlug}\0${lang}\0${translationKey ?? ''}`;
}

/** Placements without duplicates, in first-seen order. */
export function uniquePlacements(placements: readonly Placement[]): Placement[] {
  const seen = new Map<string, Placement>();
  for (const placement of placements) {
    seen.set(placementId(placement), placement);
  }
  return [...seen.values()];
}

/** Fingerprint of the settings that change what the parser makes of the same bytes. */
export function parseFingerprint(site: Pick<SiteConfig, 'siteUrl' | 'defaultLang' | 'timeZone'>) {
  return createHash('sha256')
    .update(`${site.siteUrl}\0${site.defaultLang}\0${site.timeZone}`)
    .digest('hex')
    .slice(0, 16);
}

/** `state/records/…`: what the pipeline knows about one source key. */
export const releaseRecordSchema = documentOf<ReleaseRecord>(
  v.looseObject({
    version: v.literal(1),
    key: v.string(),
    sequencer: v.optional(v.string()),
    sourceEtag: v.optional(v.string()),
    parsedWith: v.optional(v.string()),
    release: v.optional(storedReleaseShape),
    slug: v.optional(v.string()),
    rejected: v.optional(
      v.looseObject({
        problem: v.object({
          path: v.string(),
          line: v.optional(v.number()),
          field: v.optional(v.string()),
          message: v.string(),
        }),
        at: v.string(),
      }),
    ),
    announced: v.optional(v.boolean()),
    lingering: v.array(placementShape),
    pendingOutcome: v.optional(v.looseObject({})),
    withdrawn: v.optional(v.looseObject(withdrawalFields)),
  }),
);
