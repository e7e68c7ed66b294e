import { parseRelease } from '../release/parse.js';
import type { ReleaseProblem } from '../release/types.js';
import type { ObjectStore } from '../shared/ports.js';
import type { SiteConfig } from '../site/config.js';
import { isPublicAt } from './embargo.js';
import {
  newRecord,
  type Placement,
  parseFingerprint,
  placementOf,
  type ReleaseRecord,
  uniquePlacements,
} from './records.js';
import { compareSequencers, sourcePathOf } from './s3-event.js';
import { claimSlug, withSlug } from './slugs.js';
import { recordKey } from './state-keys.js';
import { UNCHANGED, type UpdateOptions, updateDocument } from './state-store.js';
import { storeRelease } from './stored-release.js';

/** What reading the source did to the record. */
export type RecordChange =
  /** The event is older than one already handled for this key: nothing to do. */
  | { kind: 'stale' }
  /** Neither the object nor a record of it exists. */
  | { kind: 'absent' }
  /** The record already reflects the object's current version. */
  | { kind: 'unchanged' }
  /** A new version was accepted. `first`: the key had no accepted release before. */
  | { kind: 'accepted'; first: boolean }
  /** A new version was rejected; the previous accepted release (if any) stays. */
  | { kind: 'rejected'; problem: ReleaseProblem; sourceEtag: string }
  /** The object is gone. */
  | { kind: 'deleted' };

/** The record after {@link refreshRecord}, and what changed. */
export interface RecordStep {
  change: RecordChange;
  record: ReleaseRecord | undefined;
  etag: string | undefined;
  /** Whether the record had a rejected version before this step (its report may exist). */
  wasRejected: boolean;
}

/** What the record step needs. */
export interface RecordContext {
  /** The releases bucket: sources under `releases/`, records under `state/`. */
  bucket: ObjectStore;
  site: SiteConfig;
  /** When this step runs (stamped on rejections). */
  now: Date;
  update?: UpdateOptions;
}

/**
 * Brings the record of `key` up to date with the object as it is now in the bucket (the event is
 * only a hint): reads the object (missing = deleted), parses a new version, claims a slug on first
 * acceptance, and writes the record conditionally, starting over when another invocation wrote it
 * first. An event whose sequencer is below the recorded one is stale and changes nothing.
 */
export async function refreshRecord(
  ctx: RecordContext,
  key: string,
  sequencer: string | undefined,
): Promise<RecordStep> {
  let change: RecordChange = { kind: 'unchanged' };
  let wasRejected = false;
  const fingerprint = parseFingerprint(ctx.site);
  const result = await updateDocument<ReleaseRecord>(
    ctx.bucket,
    recordKey(key),
    async (current) => {
      wasRejected = current?.rejected !== undefined;
      const known = current?.sequencer;
      if (
        sequencer !== undefined &&
        known !== undefined &&
        compareSequencers(sequencer, known) < 0
      ) {
        change = { kind: 'stale' };
        return UNCHANGED;
      }
      const highest =
        sequencer === undefined || (known !== undefined && compareSequencers(known, sequencer) >= 0)
          ? known
          : sequencer;
      const base: ReleaseRecord = {
        ...(current ?? newRecord(key)),
        ...(highest === undefined ? {} : { sequencer: highest }),
      };
      const sequencerMoved = highest !== known;

      const source = await ctx.bucket.get(key);
      if (source === undefined) {
        if (current === undefined || (current.sourceEtag === undefined && !current.release)) {
          change = current === undefined ? { kind: 'absent' } : { kind: 'unchanged' };
          return current !== undefined && sequencerMoved ? base : UNCHANGED;
        }
        change = { kind: 'deleted' };
        const { sourceEtag: _gone, release: _r, rejected: _x, parsedWith: _p, ...kept } = base;
        return {
          ...kept,
          lingering: uniquePlacements([
            ...base.lingering,
            ...(current.release ? [placementOf(current.release, ctx.site.timeZone)] : []),
          ]),
        };
      }
      if (current?.sourceEtag === source.etag && current.parsedWith === fingerprint) {
        change = { kind: 'unchanged' };
        // An embargoed release whose time has come: the same source, now public.
        const release = base.release;
        if (release && !release.firstPublishedAt && isPublicAt(release, ctx.now)) {
          return { ...base, release: { ...release, firstPublishedAt: ctx.now.toISOString() } };
        }
        return sequencerMoved ? base : UNCHANGED;
      }

      const parsed = parseRelease(sourcePathOf(key), source.body, ctx.site);
      if (!parsed.ok) {
        change = { kind: 'rejected', problem: parsed.problem, sourceEtag: source.etag };
        return {
          ...base,
          sourceEtag: source.etag,
          parsedWith: fingerprint,
          rejected: { problem: parsed.problem, at: ctx.now.toISOString() },
        };
      }
      // A live record's slug is surely still its own; after a deletion the claim may have been
      // given up, so it is claimed again (the old slug if still free, else the usual fallbacks).
      const slug =
        base.release && base.slug
          ? base.slug
          : await claimSlug(
              ctx.bucket,
              key,
              parsed.release.sourcePath,
              base.slug ?? parsed.release.slug,
            );
      const withItsSlug = withSlug(parsed.release, slug, ctx.site.siteUrl);
      const firstPublishedAt =
        base.release?.firstPublishedAt ??
        (withItsSlug.published.getTime() <= ctx.now.getTime() ? ctx.now.toISOString() : undefined);
      const release = storeRelease(withItsSlug, firstPublishedAt);
      const previous: Placement[] = base.release
        ? [placementOf(base.release, ctx.site.timeZone)]
        : [];
      const now = placementOf(release, ctx.site.timeZone);
      const moved = previous.filter(
        (placement) =>
          placement.year !== now.year ||
          placement.categorySlug !== now.categorySlug ||
          placement.lang !== now.lang,
      );
      change = { kind: 'accepted', first: base.release === undefined };
      const { rejected: _fixed, ...rest } = base;
      return {
        ...rest,
        sourceEtag: source.etag,
        parsedWith: fingerprint,
        release,
        slug,
        lingering: uniquePlacements([...base.lingering, ...moved]),
      };
    },
    ctx.update,
  );
  return { change, record: result.value, etag: result.etag, wasRejected };
}
