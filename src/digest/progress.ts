import type { ObjectStore } from '../shared/ports.js';

/** The S3 prefix under which every digest run keeps its progress. */
export const DIGESTS_PREFIX = 'digests/';

/** What happened to one recipient in a run. */
export interface DeliveryRecord {
  /** Recipient id. */
  id: string;
  status: 'sent' | 'rejected';
  /** SES message id of a sent message. */
  messageId?: string;
  /** Why SES refused it (no address). */
  error?: string;
}

/** A finished shard or run. */
export interface CompletionRecord {
  completedAt: string;
  sent: number;
  rejected: number;
}

/**
 * A run's progress in the private bucket, append-only so concurrent writers never conflict:
 *
 * - `digests/<runId>/lease.json`: who is sending now (see `RunLease`)
 * - `digests/<runId>/sent/<shardId>/<writer>-<seq>.json`: batches of {@link DeliveryRecord}s
 * - `digests/<runId>/shards/<shardId>.json`: the shard is finished
 * - `digests/<runId>/done.json`: the run is finished
 */
export class RunProgress {
  readonly prefix: string;

  constructor(
    private readonly store: ObjectStore,
    readonly runId: string,
  ) {
    this.prefix = `${DIGESTS_PREFIX}${runId}/`;
  }

  get leaseKey(): string {
    return `${this.prefix}lease.json`;
  }

  /** The completion record when the whole run is finished. */
  async done(): Promise<CompletionRecord | undefined> {
    const object = await this.store.get(`${this.prefix}done.json`);
    return object
      ? (JSON.parse(new TextDecoder().decode(object.body)) as CompletionRecord)
      : undefined;
  }

  /** Marks the whole run finished. */
  async markDone(record: CompletionRecord): Promise<void> {
    await this.store.put(`${this.prefix}done.json`, JSON.stringify(record), {
      contentType: JSON_TYPE,
    });
  }

  /** Ids of the shards already finished: one listing, no reads. */
  async finishedShards(): Promise<Set<string>> {
    const finished = new Set<string>();
    const prefix = `${this.prefix}shards/`;
    for await (const object of this.store.list(prefix)) {
      finished.add(object.key.slice(prefix.length).replace(/\.json$/, ''));
    }
    return finished;
  }

  /** Marks a shard finished, so resumed runs skip it without reading its records. */
  async markShardDone(shardId: string, record: CompletionRecord): Promise<void> {
    await this.store.put(`${this.prefix}shards/${shardId}.json`, JSON.stringify(record), {
      contentType: JSON_TYPE,
    });
  }

  /** Every recipient of an unfinished shard that was already sent to or refused. */
  async shardRecords(shardId: string): Promise<Map<string, DeliveryRecord>> {
    const records = new Map<string, DeliveryRecord>();
    for await (const object of this.store.list(this.sentPrefix(shardId))) {
      const stored = await this.store.get(object.key);
      if (!stored) continue;
      for (const record of JSON.parse(new TextDecoder().decode(stored.body)) as DeliveryRecord[]) {
        records.set(record.id, record);
      }
    }
    return records;
  }

  /** A group-committing writer of one shard's records (see {@link Checkpointer}). */
  checkpointer(shardId: string, writer: string): Checkpointer {
    return new Checkpointer(this.store, `${this.sentPrefix(shardId)}${writer}-`);
  }

  private sentPrefix(shardId: string): string {
    return `${this.prefix}sent/${shardId}/`;
  }
}

/**
 * Records deliveries as soon as they happen, with at most one write in flight: records that arrive
 * while a write is under way go out together in the next one (group commit). So the records lag SES
 * by one write at most — that lag is the duplicate bound documented in docs/digest.md — while the
 * number of writes adapts to the send rate instead of being one per message.
 */
export class Checkpointer {
  #pending: DeliveryRecord[] = [];
  #writing: Promise<void> | undefined;
  #seq = 0;
  #error: unknown;
  writes = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly keyPrefix: string,
  ) {}

  /** Queues a record and starts a write unless one is under way. */
  record(record: DeliveryRecord): void {
    this.#pending.push(record);
    this.#kick();
  }

  /** Resolves when every queued record is stored; rejects when any write failed. */
  async flush(): Promise<void> {
    while (this.#error === undefined && (this.#writing || this.#pending.length > 0)) {
      this.#kick();
      await this.#writing;
    }
    if (this.#error !== undefined) throw this.#error;
  }

  /** The first write error, if any (the run stops sending once its records cannot be kept). */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  #kick(): void {
    if (this.#writing || this.#pending.length === 0 || this.#error !== undefined) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#seq += 1;
    const key = `${this.keyPrefix}${String(this.#seq).padStart(6, '0')}.json`;
    this.writes += 1;
    this.#writing = this.store
      .put(key, JSON.stringify(batch), { contentType: JSON_TYPE })
      .then(
        () => undefined,
        (error: unknown) => {
          this.#error = error;
        },
      )
      .finally(() => {
        this.#writing = undefined;
        this.#kick();
      });
  }
}

const JSON_TYPE = 'application/json';
