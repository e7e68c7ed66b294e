import { INDEX_LIMIT } from '../pages/index-page.js';
import { type Clock, type ObjectStore, PreconditionFailedError } from '../shared/ports.js';
import type { SiteConfig } from '../site/config.js';
import {
  type DeriveContext,
  type DerivedState,
  deriveFromRecord,
  RevalidationError,
} from './derive.js';
import type { Notifier } from './notifier.js';
import { planOutputs, type WriteOutcome, writePlan } from './outputs.js';
import { type RecordChange, refreshRecord } from './record-step.js';
import type { Placement, ReleaseRecord } from './records.js';
import { rejectionReport, reportKey, writeReport } from './reports.js';
import { releaseSlug } from './slugs.js';
import { recordKey } from './state-keys.js';
import { currentEtag, readDocument, serialiseDocument, type UpdateOptions } from './state-store.js';
import { announceFeeds, type HubNotifier } from './websub.js';
import { type ScopeRef, windowCapacity } from './windows.js';

/** One structured log line. */
export type Logger = (message: string, fields?: Record<string, unknown>) => void;

/** JSON lines on stdout: what CloudWatch Logs Insights queries best. */
export const jsonLogger: Logger = (message, fields = {}) => {
  console.log(JSON.stringify({ message, ...fields }));
};

/** Everything the publishing core needs: ports and settings, no environment, no clock of its own. */
export interface PipelineDeps {
  /** The private releases bucket: `releases/` (sources), `state/`, `reports/`. */
  bucket: ObjectStore;
  /** The public site bucket. */
  publicSite: ObjectStore;
  site: SiteConfig;
  clock: Clock;
  notifier: Notifier;
  /** Staff address for rejection mail (sent by whoever consumes the notices). */
  staffEmail?: string;
  log?: Logger;
  /** Retry policy of conditional writes (tests make the waits instant). */
  update?: UpdateOptions;
  /** The WebSub hub to tell about changed feeds (`WEBSUB_HUB`); none: readers poll. */
  hub?: HubNotifier;
}

/** Hints that make a sync cheaper or more thorough; never needed for correctness of an event. */
export interface SyncHint {
  /** The event's sequencer: older than the recorded one means the event is stale. */
  sequencer?: string;
  /** Derived documents that may hold the key although its record does not say so (reconcile). */
  placements?: readonly Placement[];
}

/** What a sync did. */
export interface SyncResult {
  key: string;
  change: RecordChange['kind'];
  /** Whether the release is public after the sync. */
  public: boolean;
  files: WriteOutcome;
}

const MAX_ROUNDS = 8;

/**
 * Publishes the current state of one object under `releases/`: the event that names it is only a
 * hint, so the result depends on the bucket, not on the order or number of events. Updates the
 * release's record (accepting, rejecting or forgetting the source), the derived state (years,
 * feed windows, embargo list, site index) and then exactly the public files that depend on what
 * changed, skipping files whose bytes are already there. A rejected upload writes a report and
 * leaves the public side as it was. See docs/pipeline.md for the state layout and why concurrent
 * invocations converge.
 */
export async function syncRelease(
  deps: PipelineDeps,
  key: string,
  hint: SyncHint = {},
): Promise<SyncResult> {
  const now = deps.clock();
  const log = deps.log ?? jsonLogger;
  const step = await refreshRecord(
    { bucket: deps.bucket, site: deps.site, now, update: deps.update },
    key,
    hint.sequencer,
  );
  const empty: WriteOutcome = { written: [], deleted: [], unchanged: [] };
  if (step.change.kind === 'stale') {
    log('stale event skipped', { key, sequencer: hint.sequencer });
    return { key, change: 'stale', public: false, files: empty };
  }
  await handleReport(deps, key, step, now);
  // An object never recorded (a late event for a deleted upload, say) changes no release, but it
  // still goes through the site-wide outputs: the feeds and front page exist from the first event
  // on, even when no release was ever published (what a full build of an empty bucket writes).

  const ctx = deriveContext(deps, now);
  let record = step.record;
  let etag = step.etag;
  let files = empty;
  let derived: DerivedState | undefined;
  const refilled = new Set<string>();
  for (let round = 1; ; round += 1) {
    derived = await deriveFromRecord(ctx, key, record, hint.placements);
    for (const window of derived.refilled) refilled.add(window);
    const plan = planOutputs(
      {
        ...(record?.slug
          ? { page: { slug: record.slug, publicRelease: derived.publicRelease } }
          : {}),
        windows: derived.windows.map((doc) => doc.value),
        years: derived.years.map((doc) => doc.value),
        siteIndex: derived.siteIndex.value,
      },
      deps.site,
    );
    files = mergeOutcomes(files, await writePlan(deps.publicSite, plan));
    // Whatever changed under us since we read it was written by an invocation that will render
    // after its own change, but possibly before our write landed: look again, and redo if so.
    const fresh = await readDocument<ReleaseRecord>(deps.bucket, recordKey(key));
    const docsMoved = await anyMoved(deps.bucket, [
      ...derived.windows,
      ...derived.years,
      derived.siteIndex,
    ]);
    if (fresh?.etag === etag && !docsMoved) break;
    if (round >= MAX_ROUNDS) throw new RevalidationError(recordKey(key));
    record = fresh?.value;
    etag = fresh?.etag;
  }

  await finish(deps, key, record, etag, derived.publicRelease !== undefined);
  await announceFeeds(deps, files.written, log);
  const result: SyncResult = {
    key,
    change: step.change.kind,
    public: derived.publicRelease !== undefined,
    files,
  };
  log('release synced', {
    key,
    change: result.change,
    public: result.public,
    written: files.written.length,
    deleted: files.deleted.length,
    unchanged: files.unchanged.length,
    ...(refilled.size > 0 ? { refilled: [...refilled] } : {}),
  });
  return result;
}

/** The derived-state settings for this site. */
export function deriveContext(deps: PipelineDeps, now: Date): DeriveContext {
  return {
    state: deps.bucket,
    timeZone: deps.site.timeZone,
    ...windowLimits(deps.site),
    now,
    update: deps.update,
  };
}

/** How many releases each scope shows, and how many its window keeps. */
export function windowLimits(site: Pick<SiteConfig, 'feedLimit'>) {
  // The `all` window also feeds the front page, which lists INDEX_LIMIT releases.
  const shown = (scope: ScopeRef) =>
    scope.kind === 'all' ? Math.max(site.feedLimit, INDEX_LIMIT) : site.feedLimit;
  return { shown, capacity: (scope: ScopeRef) => windowCapacity(shown(scope)) };
}

async function handleReport(
  deps: PipelineDeps,
  key: string,
  step: { change: RecordChange; record?: ReleaseRecord; etag?: string; wasRejected: boolean },
  now: Date,
): Promise<void> {
  const { change, record, wasRejected } = step;
  if (change.kind === 'rejected') {
    const report = rejectionReport(key, change.problem, now, change.sourceEtag, !!record?.release);
    await writeReport(deps.bucket, report);
    (deps.log ?? jsonLogger)('release rejected', {
      key,
      problem: report.problem,
      line: report.line,
    });
    if (deps.staffEmail) {
      await deps.notifier.notify({ type: 'release-rejected', to: deps.staffEmail, report });
    }
    await settleReport(deps, key, step.etag);
  } else if (change.kind === 'unchanged' && record?.rejected && record.sourceEtag) {
    // A retry (or reconcile) after a failure between the record and the report. The report is
    // written before the staff notice, so a missing report means staff were not told either.
    if ((await currentEtag(deps.bucket, reportKey(key))) !== undefined) return;
    const report = rejectionReport(
      key,
      record.rejected.problem,
      new Date(record.rejected.at),
      record.sourceEtag,
      !!record.release,
    );
    await writeReport(deps.bucket, report);
    if (deps.staffEmail) {
      await deps.notifier.notify({ type: 'release-rejected', to: deps.staffEmail, report });
    }
    await settleReport(deps, key, step.etag);
  } else if (!record?.rejected && (wasRejected || change.kind === 'unchanged')) {
    // After a fix or a deletion the record is written first; a retry of a sync that failed before
    // this delete finds the record unchanged and clean, so it deletes (idempotently) too.
    await deps.bucket.delete(reportKey(key));
    await settleReport(deps, key, step.etag);
  }
}

/**
 * Makes the report follow the record when the record moved on while the report was being written
 * or deleted: a sync that rejected version 1 may write its report after the sync of a fixed
 * version 2 deleted it, and a report would then say "not published" of a published release. The
 * record is read after the report changed; if it is still the version the report was made for,
 * any later change of the record is followed by its own sync's report step, so the report ends
 * right. Otherwise the report is redone from the record as it is now, and checked again.
 */
async function settleReport(
  deps: PipelineDeps,
  key: string,
  reportedEtag: string | undefined,
): Promise<void> {
  let expected = reportedEtag;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const fresh = await readDocument<ReleaseRecord>(deps.bucket, recordKey(key));
    if (fresh?.etag === expected) return;
    const rejected = fresh?.value.rejected;
    const sourceEtag = fresh?.value.sourceEtag;
    if (rejected && sourceEtag) {
      const when = new Date(rejected.at);
      const stillPublished = !!fresh?.value.release;
      await writeReport(
        deps.bucket,
        rejectionReport(key, rejected.problem, when, sourceEtag, stillPublished),
      );
    } else {
      await deps.bucket.delete(reportKey(key));
    }
    expected = fresh?.etag;
  }
  throw new RevalidationError(reportKey(key));
}

/**
 * Housekeeping once the public side is right: give up a deleted release's slug, announce a first
 * publication, forget placements that are now clean. Written only if the record is still the one
 * everything above was computed from; otherwise the invocation that changed it finishes the job.
 */
async function finish(
  deps: PipelineDeps,
  key: string,
  record: ReleaseRecord | undefined,
  etag: string | undefined,
  isPublic: boolean,
): Promise<void> {
  if (record === undefined || etag === undefined) return;
  const next: ReleaseRecord = { ...record, lingering: [] };
  if (!record.release && record.slug) {
    await releaseSlug(deps.bucket, key, record.slug);
    delete next.slug;
  }
  if (isPublic && record.release && !record.announced) {
    await deps.notifier.notify({
      type: 'release-published',
      releaseId: record.release.id,
      key,
      sourcePath: record.release.sourcePath,
      url: record.release.url,
      published: record.release.published,
    });
    next.announced = true;
  }
  if (JSON.stringify(next) === JSON.stringify(record)) return;
  try {
    await deps.bucket.put(recordKey(key), serialiseDocument(next), {
      contentType: 'application/json',
      ifMatch: etag,
    });
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
}

async function anyMoved(
  store: ObjectStore,
  docs: readonly { key: string; etag: string | undefined }[],
): Promise<boolean> {
  const etags = await Promise.all(docs.map((doc) => currentEtag(store, doc.key)));
  return etags.some((etag, i) => etag !== docs[i]?.etag);
}

function mergeOutcomes(a: WriteOutcome, b: WriteOutcome): WriteOutcome {
  const merge = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();
  return {
    written: merge(a.written, b.written),
    deleted: merge(a.deleted, b.deleted),
    unchanged: merge(a.unchanged, b.unchanged).filter(
      (path) => !a.written.includes(path) && !b.written.includes(path),
    ),
  };
}
