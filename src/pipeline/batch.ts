import { applyDrafts } from '../drafts/apply.js';
import { DRAFTS_PREFIX } from '../drafts/keys.js';
import { BatchDocuments } from '../shared/document-store.js';
import { jsonLogger, type Logger, type PipelineDeps, windowLimits } from './deps.js';
import { type DeriveContext, type DerivedState, deriveBatch, publicReleaseOf } from './derive.js';
import { type KeyWork, keysOfBatch, type PipelineEvent } from './events.js';
import { finishKey } from './finish.js';
import { indexMedia, referencingKeys, syncMedia } from './media.js';
import { type MonthDoc, monthDocSchema, monthKey } from './months.js';
import {
  archiveNeighbourMonths,
  type PageInput,
  planOutputs,
  type WriteOutcome,
  writePlan,
} from './outputs.js';
import {
  batchMediaLookup,
  type RecordChange,
  type RecordStep,
  refreshRecord,
} from './record-step.js';
import { followRecord } from './reports.js';
import { isReleaseKey, RELEASES_PREFIX, sourcePathOf } from './s3-event.js';
import { announceFeeds } from './websub.js';
import { recordWithdrawals, withdrawnDocSchema, withdrawnKey } from './withdrawn.js';

/** What a batch did for one key. */
interface KeyResult {
  key: string;
  change: RecordChange['kind'];
  /** Whether the release is public after the batch. */
  public: boolean;
}

/** What one batch did. */
export interface BatchResult {
  keys: KeyResult[];
  files: WriteOutcome;
  /** State keys of windows refilled from the archive. */
  refilled: string[];
}

/** The derived-state settings for this site at `now`. */
export function deriveContext(deps: PipelineDeps, now: Date): DeriveContext {
  return { timeZone: deps.site.timeZone, ...windowLimits(deps.site), now };
}

/**
 * Applies a batch of events as one change to the site, the pipeline's single writer: the keys
 * they name are deduplicated, each source is read once and its record updated; then every
 * derived document (months, embargo list, windows, site index) and every affected public file is
 * written once for the whole batch. Records are written first (they are the authority), so a
 * batch that fails anywhere can simply be applied again. Conditional writes only guard against an
 * unexpected second writer: a 412 fails the batch. See docs/pipeline.md.
 */
export async function applyBatch(
  deps: PipelineDeps,
  events: readonly PipelineEvent[],
): Promise<BatchResult> {
  const now = deps.clock();
  const log = deps.log ?? jsonLogger;
  const docs = new BatchDocuments(deps.bucket);
  // Drafts never touch the public site or its state: handled on their own (src/drafts/).
  await applyDrafts(deps, events, log);
  const work = await keysOfBatch(events, docs, now);
  const mediaPaths = await addMediaWork(events, docs, work, log);
  if (work.size === 0)
    return { keys: [], files: { written: [], deleted: [], unchanged: [] }, refilled: [] };
  const ctx = {
    bucket: deps.bucket,
    site: deps.site,
    now,
    mediaLookup: batchMediaLookup(deps.bucket),
  };
  const steps = await mapLimit([...work], 16, ([key, { sequencer, reattach }]) =>
    refreshRecord(ctx, docs, key, sequencer, reattach === true),
  );
  for (const step of steps) {
    if (step.change.kind !== 'stale') continue;
    log('stale event skipped', { key: step.key, sequencer: work.get(step.key)?.sequencer });
  }
  const live = steps.filter((step) => step.change.kind !== 'stale');
  await docs.flush();
  await mapLimit(live, 16, (step) => followRecord(deps, step, now, log));
  await recordWithdrawals(
    docs,
    live.map((step) => ({ key: step.key, withdrawn: step.record?.withdrawn })),
  );

  const states = live.map((step) => ({
    key: step.key,
    record: step.record,
    extra: work.get(step.key)?.placements,
  }));
  const derived = await deriveBatch(deriveContext(deps, now), docs, states);
  for (const path of await indexMedia(docs, live)) mediaPaths.add(path);
  await docs.flush(isEmptyDocument);
  const checked = live.flatMap((step) => step.media ?? []);
  const media = await syncMedia(deps.bucket, deps.publicSite, docs, mediaPaths, checked, now);
  if (media.written.length + media.deleted.length > 0) log('media synced', { ...media });
  const neighbourMonths = await Promise.all(
    archiveNeighbourMonths(derived).map(async (month) => docs.get(monthKey(month), monthDocSchema)),
  );
  const plan = await planFor(deps, docs, { ...derived, neighbourMonths });
  const files = await writePlan(deps.publicSite, plan);

  await mapLimit(live, 16, (step) => finishKey(deps, docs, step, now));
  await docs.flush();
  await announceFeeds(deps, files.written, log);
  return report(log, live, steps.length - live.length, files, derived, now);
}

/**
 * Events for other files under `releases/` (pictures, attachments): each release that references
 * the file (the media index, not a scan) is parsed and attached again in this batch. Returns the
 * files' paths, whose public copies the batch brings in line; unreferenced files publish nothing.
 */
async function addMediaWork(
  events: readonly PipelineEvent[],
  docs: BatchDocuments,
  work: Map<string, KeyWork>,
  log: Logger,
): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const event of events) {
    // Drafts and the files beside them are applyDrafts' (their media never become public).
    if (event.kind !== 'object' || isReleaseKey(event.key) || event.key.startsWith(DRAFTS_PREFIX)) {
      continue;
    }
    if (!event.key.startsWith(RELEASES_PREFIX) || isHidden(event.key)) {
      log('ignored key that is not a release file', { key: event.key });
      continue;
    }
    const sourcePath = sourcePathOf(event.key);
    const keys = await referencingKeys(docs, sourcePath);
    if (keys.length === 0) {
      log('ignored key that is not a release file', {
        key: event.key,
        reason: 'no release references it',
      });
      continue;
    }
    paths.add(sourcePath);
    for (const key of keys) {
      work.set(key, { ...(work.get(key) ?? { placements: [] }), reattach: true });
    }
  }
  return paths;
}

function isHidden(key: string): boolean {
  return key.split('/').some((segment) => segment.startsWith('.'));
}

/**
 * The public files the batch changes. A page address without a public release keeps the withdrawn
 * page of the release last deleted from it, if any (`state/withdrawn/`), else is removed.
 */
async function planFor(
  deps: PipelineDeps,
  docs: BatchDocuments,
  derived: DerivedState & { neighbourMonths: readonly (MonthDoc | undefined)[] },
) {
  const pages: PageInput[] = [];
  for (const { record, publicRelease } of derived.releases) {
    const slug = record?.slug;
    if (slug === undefined) continue;
    if (publicRelease) pages.push({ slug, publicRelease });
    else pages.push({ slug, withdrawn: await docs.get(withdrawnKey(slug), withdrawnDocSchema) });
  }
  return planOutputs(
    {
      pages,
      windows: derived.windows,
      months: derived.months,
      siteIndex: derived.siteIndex,
      neighbourMonths: derived.neighbourMonths.filter((doc) => doc !== undefined),
    },
    deps.site,
  );
}

function report(
  log: Logger,
  steps: readonly RecordStep[],
  stale: number,
  files: WriteOutcome,
  derived: DerivedState,
  now: Date,
): BatchResult {
  const keys = steps.map((step) => ({
    key: step.key,
    change: step.change.kind,
    public: publicReleaseOf(step.record, now) !== undefined,
  }));
  for (const [index, key] of keys.entries()) {
    const warnings = steps[index]?.record?.pendingOutcome?.warnings.length ?? 0;
    log('release synced', { ...key, warnings });
  }
  log('batch applied', {
    keys: keys.length,
    stale,
    written: files.written.length,
    deleted: files.deleted.length,
    unchanged: files.unchanged.length,
    ...(derived.refilled.length > 0 ? { refilled: derived.refilled } : {}),
  });
  return { keys, files, refilled: derived.refilled };
}

/** Year documents, windows and the embargo list are not created empty (a full build has none). */
function isEmptyDocument(_key: string, value: unknown): boolean {
  const entries = (value as { entries?: unknown[] }).entries;
  return Array.isArray(entries) && entries.length === 0;
}

/** `work` over `items`, at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
