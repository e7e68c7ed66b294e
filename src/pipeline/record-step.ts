import type { MediaFile, MediaLookup, MediaSource } from '../media/resolve.js';
import { objectStoreMediaLookup } from '../media/store-lookup.js';
import { attachMedia } from '../release/attach-media.js';
import { isArchiveImport } from '../release/newness.js';
import { parseRelease } from '../release/parse.js';
import type { ReleaseProblem, ReleaseWarning } from '../release/types.js';
import type { BatchDocuments } from '../shared/document-store.js';
import type { ObjectStore, StoredObject } from '../shared/ports.js';
import type { SiteConfig } from '../site/config.js';
import { isPublicAt } from './embargo.js';
import {
  newRecord,
  type PendingOutcome,
  type Placement,
  parseFingerprint,
  placementOf,
  type ReleaseRecord,
  releaseRecordSchema,
  samePlacement,
  uniquePlacements,
} from './records.js';
import { compareSequencers, RELEASES_PREFIX, sourcePathOf } from './s3-event.js';
import { claimSlug, withSlug } from './slugs.js';
import { recordKey } from './state-keys.js';
import { type StoredRelease, storeRelease } from './stored-release.js';
import { withdrawalOf } from './withdrawn.js';

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
  key: string;
  change: RecordChange;
  record: ReleaseRecord | undefined;
  /** Whether the record had a rejected version before this step (its report may exist). */
  wasRejected: boolean;
  /** The record as the batch found it (its media references are the ones to re-index). */
  before: ReleaseRecord | undefined;
  /** The media files of a version accepted in this step, checked and ready to publish. */
  media?: MediaFile[];
}

/** What the record step needs. */
export interface RecordContext {
  /** The releases bucket: sources under `releases/`, slug claims under `state/`. */
  bucket: ObjectStore;
  site: SiteConfig;
  /** When this batch runs (stamped on rejections and first publications). */
  now: Date;
  /** Finds files beside the releases; one per batch, so a file many releases share is read once. */
  mediaLookup?: MediaLookup;
}

/**
 * A media lookup in `bucket` under `releases/` that remembers what it found for the batch: a
 * logo shared by 25 releases costs one listing and one read, not 25 of each.
 */
export function batchMediaLookup(bucket: ObjectStore): MediaLookup {
  const lookup = objectStoreMediaLookup(bucket, RELEASES_PREFIX);
  const found = new Map<string, Promise<MediaSource | undefined>>();
  return (sourcePath) => {
    let source = found.get(sourcePath);
    if (source === undefined) {
      source = Promise.resolve(lookup(sourcePath)).then((hit) => hit && readOnce(hit));
      found.set(sourcePath, source);
    }
    return source;
  };
}

function readOnce(source: MediaSource): MediaSource {
  let body: Promise<Uint8Array | undefined> | undefined;
  return {
    size: source.size,
    read: () => {
      body ??= Promise.resolve(source.read());
      return body;
    },
  };
}

/**
 * Brings the record of `key` up to date with the object as it is now in the bucket (the event is
 * only a hint): reads the object (missing = deleted), parses a new version and claims a slug on
 * first acceptance. The new record goes into the batch's documents; an event whose sequencer is
 * below the recorded one is stale and changes nothing.
 */
export async function refreshRecord(
  ctx: RecordContext,
  docs: BatchDocuments,
  key: string,
  sequencer: string | undefined,
  reattach = false,
): Promise<RecordStep> {
  const current = await docs.get(recordKey(key), releaseRecordSchema);
  const step = (change: RecordChange, record = current, media?: MediaFile[]): RecordStep => ({
    key,
    change,
    record,
    wasRejected: current?.rejected !== undefined,
    before: current,
    ...(media === undefined ? {} : { media }),
  });
  const known = current?.sequencer;
  if (sequencer !== undefined && known !== undefined && compareSequencers(sequencer, known) < 0) {
    return step({ kind: 'stale' });
  }
  const highest =
    sequencer === undefined || (known !== undefined && compareSequencers(known, sequencer) >= 0)
      ? known
      : sequencer;
  const base: ReleaseRecord = {
    ...(current ?? newRecord(key)),
    ...(highest === undefined ? {} : { sequencer: highest }),
  };
  const next = await nextRecord(ctx, base, current, await ctx.bucket.get(key), reattach);
  const record = next.record ?? (current !== undefined && highest !== known ? base : current);
  if (record !== current && record !== undefined) docs.set(recordKey(key), record);
  return step(next.change, record, next.media);
}

/** The record's next value (`undefined`: keep it as it is) and what changed. */
async function nextRecord(
  ctx: RecordContext,
  base: ReleaseRecord,
  current: ReleaseRecord | undefined,
  source: StoredObject | undefined,
  reattach: boolean,
): Promise<{ change: RecordChange; record?: ReleaseRecord; media?: MediaFile[] }> {
  if (source === undefined) {
    if (current === undefined) return { change: { kind: 'absent' } };
    if (current.sourceEtag === undefined && !current.release)
      return { change: { kind: 'unchanged' } };
    return { change: { kind: 'deleted' }, record: deletedRecord(ctx, base, current) };
  }
  const same =
    current?.sourceEtag === source.etag && current.parsedWith === parseFingerprint(ctx.site);
  if (same && !reattach) {
    // An embargoed release whose time has come: the same source, now public.
    const release = base.release;
    if (release && !release.firstPublishedAt && isPublicAt(release, ctx.now)) {
      const due = { ...release, firstPublishedAt: ctx.now.toISOString() };
      return { change: { kind: 'unchanged' }, record: { ...base, release: due } };
    }
    return { change: { kind: 'unchanged' } };
  }
  const parsed = parseRelease(sourcePathOf(base.key), source.body, ctx.site);
  if (!parsed.ok) {
    const rejected = { problem: parsed.problem, at: ctx.now.toISOString() };
    return {
      change: { kind: 'rejected', problem: parsed.problem, sourceEtag: source.etag },
      record: {
        ...base,
        sourceEtag: source.etag,
        parsedWith: parseFingerprint(ctx.site),
        rejected,
      },
    };
  }
  // Attached afresh every time: a file that arrived since (or went) changes what the page shows.
  const lookup = ctx.mediaLookup ?? objectStoreMediaLookup(ctx.bucket, RELEASES_PREFIX);
  const attached = await attachMedia(parsed.release, lookup);
  const warnings = [...parsed.warnings, ...attached.warnings];
  const record = await acceptedRecord(ctx, base, source.etag, attached.release, warnings);
  if (same && JSON.stringify(record.release) === JSON.stringify(current?.release)) {
    // A file it references changed, but not what the release shows: nothing to tell staff.
    return { change: { kind: 'unchanged' }, media: attached.files };
  }
  return {
    change: { kind: 'accepted', first: base.release === undefined },
    record,
    media: attached.files,
  };
}

function deletedRecord(
  ctx: RecordContext,
  base: ReleaseRecord,
  current: ReleaseRecord,
): ReleaseRecord {
  const { sourceEtag: _gone, release: _r, rejected: _x, parsedWith: _p, ...kept } = base;
  const gone = current.release;
  const withdrawn =
    gone && isPublicAt(gone, ctx.now) ? withdrawalOf(gone, ctx.now) : current.withdrawn;
  return {
    ...kept,
    ...(withdrawn === undefined ? {} : { withdrawn }),
    lingering: uniquePlacements([
      ...base.lingering,
      ...(gone ? [placementOf(gone, ctx.site.timeZone)] : []),
    ]),
    ...(gone ? { pendingOutcome: outcomeOf(gone, 'withdrawn', [], false) } : {}),
  };
}

/**
 * The record with a newly accepted version: its slug (a live record's own, or claimed again after
 * a deletion gave it up), `firstPublishedAt` once public, the placements it left, and what staff
 * are to be told.
 */
async function acceptedRecord(
  ctx: RecordContext,
  base: ReleaseRecord,
  sourceEtag: string,
  parsed: Parameters<typeof withSlug>[0],
  warnings: ReleaseWarning[],
): Promise<ReleaseRecord> {
  const slug =
    base.release && base.slug
      ? base.slug
      : await claimSlug(ctx.bucket, base.key, parsed.sourcePath, base.slug ?? parsed.slug);
  const withItsSlug = withSlug(parsed, slug, ctx.site.siteUrl);
  const before = base.release?.firstPublishedAt;
  const firstPublishedAt =
    before ??
    (withItsSlug.published.getTime() <= ctx.now.getTime() ? ctx.now.toISOString() : undefined);
  const release = storeRelease(withItsSlug, firstPublishedAt);
  const previous: Placement[] = base.release ? [placementOf(base.release, ctx.site.timeZone)] : [];
  const placed = placementOf(release, ctx.site.timeZone);
  const moved = previous.filter((p) => !samePlacement(p, placed));
  const outcome: PendingOutcome['outcome'] =
    base.rejected !== undefined
      ? 'fixed'
      : firstPublishedAt === undefined
        ? 'scheduled'
        : before !== undefined
          ? 'updated'
          : 'published';
  const silent =
    before === undefined &&
    firstPublishedAt !== undefined &&
    isArchiveImport(withItsSlug, new Date(firstPublishedAt), ctx.site.notifyMaxAgeMs);
  const { rejected: _fixed, withdrawn: _back, ...rest } = base;
  return {
    ...rest,
    sourceEtag,
    parsedWith: parseFingerprint(ctx.site),
    release,
    slug,
    lingering: uniquePlacements([...base.lingering, ...moved]),
    pendingOutcome: outcomeOf(release, outcome, warnings, silent),
  };
}

function outcomeOf(
  release: StoredRelease,
  outcome: PendingOutcome['outcome'],
  warnings: ReleaseWarning[],
  silent: boolean,
): PendingOutcome {
  return {
    outcome,
    sourcePath: release.sourcePath,
    title: release.title,
    url: release.url,
    published: release.published,
    warnings,
    silent,
  };
}
