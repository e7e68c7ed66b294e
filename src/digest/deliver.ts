import { randomUUID } from 'node:crypto';
import { composeMail, type Mailbox } from '../mail/compose.js';
import type { Log } from '../observability/log.js';
import type { Release } from '../release/types.js';
import type { Clock, Mailer, ObjectStore } from '../shared/ports.js';
import { shortHash } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import { LeaseLostError, RunLease } from './lease.js';
import { type ComposeMail, digestMailContent } from './message.js';
import { realTimer, SlotGate, type Timer, TokenBucket } from './pacing.js';
import { type Checkpointer, type DeliveryRecord, RunProgress } from './progress.js';
import { type PreparedIssue, personalize, prepareIssue, releasesFor } from './render.js';
import { classifySendError, describeSendError } from './ses-errors.js';
import type { CompiledVariant } from './templates.js';
import type { DigestRecipient, Lang, MailKind, RosterSource } from './types.js';

/** One mailing: who (a roster frequency), what (releases, as a mail kind), under which run id. */
export interface DeliveryJob {
  runId: string;
  kind: MailKind;
  /** The releases of the run; each recipient gets those matching their preferences. */
  releases: readonly Release[];
  /** The instant the mail is about (the digest slot, or the release's publication). */
  slot: Date;
}

/** Retry policy for throttling and 5xx answers: exponential backoff with full jitter. */
interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
}

/** Everything a delivery needs; the caller builds the adapters once and reuses them. */
export interface DeliveryDeps {
  /** The private bucket: progress under `digests/`. */
  store: ObjectStore;
  mailer: Mailer;
  roster: RosterSource;
  /** Compiled templates per variant (a `VariantCache`: MJML runs once per kind and language). */
  variants: { variant(kind: MailKind, lang: Lang): Promise<CompiledVariant> };
  site: SiteConfig;
  mailFrom: Mailbox;
  /** MIME encoder (default: the mail module's `composeMail`). */
  compose?: ComposeMail;
  clock: Clock;
  /** Messages per second (SES_SEND_RATE, or SES MaxSendRate). */
  sendRate: number;
  /** Messages the 24-hour quota still allows; unlimited when absent. */
  dailyBudget?: number;
  /** Time left in this invocation (Lambda's `getRemainingTimeInMillis`); unlimited when absent. */
  remainingMs?: () => number;
  /** Stop taking new recipients when less than this is left (default 90 s, at most a quarter). */
  stopMarginMs?: number;
  /** Recipients worked on at once (default: the send rate, 2 to 100). */
  concurrency?: number;
  /**
   * Messages that may be at SES or accepted and not yet recorded, together (default: the worker
   * count). A crash can repeat at most this many: the never-twice bound of docs/digest.md.
   */
  maxUnrecorded?: number;
  retry?: RetryPolicy;
  leaseMs?: number;
  /** Lease owner id (default: random per invocation). */
  owner?: string;
  timer?: Timer;
  random?: () => number;
  /** Where unreadable progress records are reported (default: JSON lines on stdout/stderr). */
  log?: Log;
}

/**
 * - `done`: everyone who should get this mail has it (`already-done`: it was done before).
 * - `busy`: another invocation holds the run's lease; try again after `retryAfterMs`.
 * - `paused`: stopped on purpose (`reason`); the next invocation continues where this one stopped.
 */
type DeliveryStatus = 'done' | 'already-done' | 'busy' | 'paused';

/** Why a delivery paused. */
type PauseReason = 'time' | 'quota' | 'transient' | 'lease-lost';

/** What one invocation did. */
export interface DeliveryResult {
  runId: string;
  status: DeliveryStatus;
  reason?: PauseReason;
  /** Messages SES accepted in this invocation. */
  sent: number;
  /** Messages SES refused for good in this invocation (recorded, not retried). */
  rejected: number;
  /** Recipients with nothing new for them (no mail). */
  nothingNew: number;
  /** Recipients skipped because an earlier invocation already sent to them. */
  alreadySent: number;
  /** Shard the run stopped in (a hint; progress itself is in S3). */
  cursor?: string;
  /** When to try again, for `busy` and `paused`. */
  retryAfterMs?: number;
  /** Progress writes made (group-committed). */
  checkpointWrites: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 250, capMs: 20_000 };
const DEFAULT_LEASE_MS = 120_000;
const DEFAULT_STOP_MARGIN_MS = 90_000;
const QUOTA_RETRY_MS = 15 * 60_000;

type Stop = { reason: PauseReason };

/**
 * Sends one run's mail: one message per recipient, paced by a token bucket, with progress recorded
 * in S3 as messages are accepted, under a lease so two invocations never send the same run at once.
 * Resumable: a later call with the same job skips finished shards and recorded recipients.
 */
export async function deliver(job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryResult> {
  const progress = new RunProgress(deps.store, job.runId, deps.log);
  const result: DeliveryResult = {
    runId: job.runId,
    status: 'done',
    sent: 0,
    rejected: 0,
    nothingNew: 0,
    alreadySent: 0,
    checkpointWrites: 0,
  };
  if (await progress.done()) return { ...result, status: 'already-done' as const };

  const owner = deps.owner ?? randomUUID();
  const attempt = await RunLease.acquire(
    deps.store,
    progress.leaseKey,
    owner,
    deps.clock,
    deps.leaseMs ?? DEFAULT_LEASE_MS,
    (stored) => progress.quarantine(progress.leaseKey, stored, true),
  );
  if (!attempt.ok) {
    const retryAfterMs = Math.max(1000, attempt.heldUntil.getTime() - deps.clock().getTime());
    return { ...result, status: 'busy' as const, retryAfterMs };
  }
  const lease = attempt.lease;
  // Each invocation writes its records under its own name, so writers never overwrite each other.
  const shards = new ShardWork(job, deps, progress, shortHash(owner, 12), result);
  let stop: Stop | undefined;
  let failure: unknown;
  try {
    stop = await new Sender(job, deps, lease, result).run(shards.items(), (shard) =>
      shards.complete(shard),
    );
  } catch (error) {
    failure = error;
  }
  try {
    return await finishRun(progress, shards, result, { stop, failure }, deps.clock);
  } finally {
    // Losing the lease at the end costs nothing: whoever holds it resumes from the records.
    await lease.release().catch(() => undefined);
  }
}

/** The roster's shards as this invocation opens them, and their completion once dealt with. */
class ShardWork {
  readonly open: OpenShard[] = [];
  readonly completions: Promise<void>[] = [];

  constructor(
    readonly job: DeliveryJob,
    readonly deps: DeliveryDeps,
    readonly progress: RunProgress,
    readonly writer: string,
    readonly result: DeliveryResult,
  ) {}

  /** Every recipient of every shard not yet finished, shard by shard. */
  async *items(): AsyncGenerator<WorkItem> {
    const finished = await this.progress.finishedShards();
    for await (const roster of this.deps.roster.shards(this.job.kind)) {
      if (finished.has(roster.id)) continue;
      const shard: OpenShard = {
        id: roster.id,
        records: await this.progress.shardRecords(roster.id),
        checkpointer: this.progress.checkpointer(roster.id, this.writer),
        inHand: 0,
        exhausted: false,
        interrupted: false,
        sent: 0,
        rejected: 0,
      };
      this.open.push(shard);
      this.result.cursor = roster.id;
      for await (const recipient of roster.recipients()) yield { shard, recipient };
      shard.exhausted = true;
      this.complete(shard);
    }
  }

  /**
   * Marks a shard finished once its last recipient has been dealt with and its records are
   * stored; then resumed runs skip it without reading anything of it.
   */
  complete(shard: OpenShard): void {
    if (!shard.exhausted || shard.inHand > 0 || shard.interrupted || shard.completion) return;
    shard.completion = shard.checkpointer.flush().then(() =>
      this.progress.markShardDone(shard.id, {
        completedAt: this.deps.clock().toISOString(),
        sent: shard.sent + countStatus(shard.records, 'sent'),
        rejected: shard.rejected + countStatus(shard.records, 'rejected'),
      }),
    );
    // Its failure is collected once sending stops; until then it must not count as an
    // unhandled rejection, which Node (and the Lambda runtime) treat as a crash of the process.
    shard.completion.catch(() => undefined);
    this.completions.push(shard.completion);
  }
}

/**
 * Ends an invocation: whatever happened, what SES accepted gets recorded first; then the run is
 * paused (a stop), failed (the first error) or marked done.
 */
async function finishRun(
  progress: RunProgress,
  shards: ShardWork,
  result: DeliveryResult,
  outcome: { stop: Stop | undefined; failure: unknown },
  clock: Clock,
): Promise<DeliveryResult> {
  const settled = await Promise.allSettled([
    ...shards.completions,
    ...shards.open.map((shard) => shard.checkpointer.flush()),
  ]);
  result.checkpointWrites = shards.open.reduce((sum, shard) => sum + shard.checkpointer.writes, 0);
  const failure =
    outcome.failure ?? settled.find((settlement) => settlement.status === 'rejected')?.reason;
  if (failure !== undefined) throw failure;
  const { stop } = outcome;
  if (stop) {
    return {
      ...result,
      status: 'paused',
      reason: stop.reason,
      retryAfterMs: stop.reason === 'quota' ? QUOTA_RETRY_MS : stop.reason === 'time' ? 0 : 30_000,
    };
  }
  await progress.markDone({
    completedAt: clock().toISOString(),
    sent: result.sent,
    rejected: result.rejected,
  });
  return { ...result, cursor: undefined };
}

/** A roster shard being worked on in this invocation. */
interface OpenShard {
  id: string;
  /** Recipients earlier invocations already sent to or had refused. */
  records: ReadonlyMap<string, DeliveryRecord>;
  checkpointer: Checkpointer;
  /** Recipients taken from the shard and not yet dealt with. */
  inHand: number;
  /** Every recipient of the shard has been taken. */
  exhausted: boolean;
  /** A recipient was left unsent (the run stopped or failed): the shard stays unfinished. */
  interrupted: boolean;
  sent: number;
  rejected: number;
  completion?: Promise<void>;
}

interface WorkItem {
  shard: OpenShard;
  recipient: DigestRecipient;
}

function countStatus(
  records: ReadonlyMap<string, DeliveryRecord>,
  status: DeliveryRecord['status'],
) {
  let count = 0;
  for (const record of records.values()) if (record.status === status) count += 1;
  return count;
}

/** The per-invocation sending state shared by every shard. */
class Sender {
  readonly #bucket: TokenBucket;
  readonly #issues = new Map<Lang, Promise<PreparedIssue>>();
  readonly #timer: Timer;
  readonly #random: () => number;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;
  readonly #unrecorded: SlotGate;
  readonly #leaseMargin: number;
  readonly #stopMargin: number;

  constructor(
    private readonly job: DeliveryJob,
    private readonly deps: DeliveryDeps,
    private readonly lease: RunLease,
    private readonly result: DeliveryResult,
  ) {
    this.#timer = deps.timer ?? realTimer;
    this.#random = deps.random ?? Math.random;
    this.#retry = deps.retry ?? DEFAULT_RETRY;
    // Slots lost to a busy event loop are caught up (a fifth of a second's worth at most), within
    // the bucket's cap of `rate` messages in any second.
    this.#bucket = new TokenBucket(
      deps.sendRate,
      this.#timer,
      Math.max(1, Math.floor(deps.sendRate / 5)),
    );
    // One worker per message of a second's quota keeps the rate even when SES takes up to a second
    // to answer; the token bucket, not the worker count, decides how many messages leave.
    this.#concurrency = deps.concurrency ?? Math.min(100, Math.max(2, Math.ceil(deps.sendRate)));
    this.#unrecorded = new SlotGate(deps.maxUnrecorded ?? this.#concurrency);
    this.#leaseMargin = (deps.leaseMs ?? DEFAULT_LEASE_MS) / 2;
    // A function configured with a short timeout still gets three quarters of it for sending.
    this.#stopMargin =
      deps.stopMarginMs ??
      Math.min(DEFAULT_STOP_MARGIN_MS, (deps.remainingMs?.() ?? Number.POSITIVE_INFINITY) / 4);
  }

  /**
   * Works through every recipient of every shard with a pool of workers, across shard boundaries
   * (no worker waits for a shard to drain); resolves to why it stopped early, if it did.
   */
  async run(
    items: AsyncIterable<WorkItem>,
    done: (shard: OpenShard) => void,
  ): Promise<Stop | undefined> {
    const next = serialized(items);
    let stop: Stop | undefined;
    let failure: unknown;
    const handle = async ({ shard, recipient }: WorkItem) => {
      if (shard.records.has(recipient.id)) {
        this.result.alreadySent += 1;
        return;
      }
      const releases = releasesFor(recipient, this.job.releases);
      if (releases.length === 0) {
        this.result.nothingNew += 1;
        return;
      }
      await this.#unrecorded.take();
      const reason = stop?.reason ?? this.#mustStop(shard.checkpointer);
      if (reason) {
        this.#unrecorded.give();
        stop ??= { reason };
        shard.interrupted = true;
        return;
      }
      const outcome = await this.#sendOne(recipient, releases).catch((error: unknown) => {
        this.#unrecorded.give();
        throw error;
      });
      if (outcome.kind === 'sent' || outcome.kind === 'rejected') {
        void shard.checkpointer.record(outcome.record).then(() => this.#unrecorded.give());
        shard[outcome.kind] += 1;
        this.result[outcome.kind] += 1;
      } else {
        this.#unrecorded.give();
        stop ??= { reason: outcome.kind };
        shard.interrupted = true;
      }
    };
    const worker = async () => {
      while (!stop && failure === undefined) {
        const item = await next().catch((error: unknown) => {
          failure ??= error;
          return { done: true as const, value: undefined };
        });
        if (item.done) return;
        item.value.shard.inHand += 1;
        try {
          await handle(item.value);
        } catch (error) {
          failure ??= error;
          item.value.shard.interrupted = true;
        } finally {
          item.value.shard.inHand -= 1;
          done(item.value.shard);
        }
      }
    };
    await Promise.all(Array.from({ length: this.#concurrency }, worker));
    if (failure instanceof LeaseLostError) return { reason: 'lease-lost' };
    if (failure !== undefined) throw failure;
    return stop;
  }

  #mustStop(checkpointer: Checkpointer): PauseReason | undefined {
    const { remainingMs, dailyBudget } = this.deps;
    if (remainingMs && remainingMs() < this.#stopMargin) return 'time';
    if (dailyBudget !== undefined && this.result.sent >= dailyBudget) return 'quota';
    // Records that cannot be written would turn every later crash into a duplicate: stop now.
    if (checkpointer.failed) return 'transient';
    return undefined;
  }

  async #sendOne(
    recipient: DigestRecipient,
    releases: Release[],
  ): Promise<
    { kind: 'sent' | 'rejected'; record: DeliveryRecord } | { kind: 'quota' | 'transient' | 'time' }
  > {
    const issue = await this.#issue(recipient.lang);
    const mail = personalize(issue, recipient, releases);
    const content = digestMailContent({
      site: this.deps.site,
      from: this.deps.mailFrom,
      kind: this.job.kind,
      runId: this.job.runId,
      recipient,
      mail,
      date: this.deps.clock(),
    });
    const { raw } = await (this.deps.compose ?? composeMail)(content);
    for (let attempt = 1; ; attempt += 1) {
      await this.#bucket.take();
      await this.lease.ensure(this.#leaseMargin);
      try {
        const { messageId } = await this.deps.mailer.send({
          raw,
          from: content.from.address,
          to: [content.to],
        });
        return { kind: 'sent', record: { id: recipient.id, status: 'sent', messageId } };
      } catch (error) {
        const kind = classifySendError(error);
        if (kind === 'rejected') {
          return {
            kind: 'rejected',
            record: { id: recipient.id, status: 'rejected', error: describeSendError(error) },
          };
        }
        if (kind === 'quota') return { kind: 'quota' };
        if (kind === 'unknown') throw error;
        if (attempt >= this.#retry.attempts) return { kind: 'transient' };
        const delay =
          this.#random() * Math.min(this.#retry.capMs, this.#retry.baseMs * 2 ** attempt);
        const { remainingMs } = this.deps;
        if (remainingMs && remainingMs() - delay < this.#stopMargin / 2) {
          return { kind: 'time' };
        }
        await this.#timer.sleep(delay);
      }
    }
  }

  #issue(lang: Lang): Promise<PreparedIssue> {
    let issue = this.#issues.get(lang);
    if (!issue) {
      issue = this.deps.variants
        .variant(this.job.kind, lang)
        .then((variant) => prepareIssue(variant, this.job.releases, this.deps.site, this.job.slot));
      this.#issues.set(lang, issue);
    }
    return issue;
  }
}

/** Lets several workers pull from one async iterable without overlapping `next()` calls. */
function serialized<T>(iterable: AsyncIterable<T>): () => Promise<IteratorResult<T>> {
  const iterator = iterable[Symbol.asyncIterator]();
  let chain: Promise<unknown> = Promise.resolve();
  return () => {
    const next = chain.then(() => iterator.next());
    chain = next.catch(() => undefined);
    return next;
  };
}
