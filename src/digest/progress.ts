import * as v from 'valibot';
import { describeError, jsonLog, type Log } from '../observability/log.js';
import type { ObjectStore, StoredObject } from '../shared/ports.js';

/** The S3 prefix under which every digest run keeps its progress. */
const DIGESTS_PREFIX = 'digests/';

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
 * - `digests/<runId>/quarantine/…`: copies of records that could not be read (see {@link quarantine})
 *
 * A record that is empty, truncated or not what this code writes never stops a run: it is logged,
 * copied aside and removed, and what it said counts as unknown (its recipients may be sent to once
 * more; a shard or run marker is treated as absent).
 */
export class RunProgress {
  readonly prefix: string;

  constructor(
    private readonly store: ObjectStore,
    readonly runId: string,
    private readonly log: Log = jsonLog,
  ) {
    this.prefix = `${DIGESTS_PREFIX}${runId}/`;
  }

  get leaseKey(): string {
    return `${this.prefix}lease.json`;
  }

  /** The completion record when the whole run is finished. */
  async done(): Promise<CompletionRecord | undefined> {
    return this.readRecord(`${this.prefix}done.json`, completionSchema);
  }

  /** Marks the whole run finished. */
  async markDone(record: CompletionRecord): Promise<void> {
    await this.store.put(`${this.prefix}done.json`, JSON.stringify(record), {
      contentType: JSON_TYPE,
    });
  }

  /** Ids of the shards already finished: one listing, no reads. */
  /**
   * Ids of the shards already finished: one listing, and one small GET per marker (a marker torn
   * by a crash on a store without atomic writes must not pass for a finished shard).
   */
  async finishedShards(): Promise<Set<string>> {
    const finished = new Set<string>();
    const prefix = `${this.prefix}shards/`;
    for await (const object of this.store.list(prefix)) {
      if (await this.readRecord(object.key, completionSchema)) {
        finished.add(object.key.slice(prefix.length).replace(/\.json$/, ''));
      }
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
      for (const record of (await this.readRecord(object.key, batchSchema)) ?? []) {
        records.set(record.id, record);
      }
    }
    return records;
  }

  /**
   * Reads one progress record; an unreadable one is quarantined and reads as `undefined`.
   */
  private async readRecord<T>(
    key: string,
    schema: v.GenericSchema<unknown, T>,
  ): Promise<T | undefined> {
    const stored = await this.store.get(key);
    if (stored === undefined) return undefined;
    const value = parseBody(stored.body, schema);
    if (value === undefined) await this.quarantine(key, stored);
    return value;
  }

  /**
   * Copies an unreadable record to `quarantine/` (for a person to look at) and, unless `keep`, removes
   * it, so it is reported once and its recipients, once sent again, are recorded in a readable
   * record. When the copy fails the original stays: the next run reports it again.
   */
  async quarantine(key: string, stored: StoredObject, keep = false): Promise<void> {
    const aside = `${this.prefix}quarantine/${key.slice(this.prefix.length)}`;
    this.log({
      level: 'warn',
      event: 'digest.record-unreadable',
      runId: this.runId,
      key,
      bytes: stored.body.byteLength,
      quarantinedAs: aside,
    });
    try {
      await this.store.put(aside, stored.body, { contentType: 'application/octet-stream' });
      if (!keep) await this.store.delete(key);
    } catch (error) {
      this.log({
        level: 'error',
        event: 'digest.quarantine-failed',
        runId: this.runId,
        key,
        ...describeError(error),
      });
    }
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
 * while a write is under way go out together in the next one (group commit), so the number of
 * writes adapts to the send rate instead of being one per message. Each record's promise tells
 * when it is stored, which is what lets the sender bound how many accepted messages can be
 * unrecorded at any moment (the duplicate bound in docs/digest.md).
 */
export class Checkpointer {
  #pending: { record: DeliveryRecord; stored: (ok: boolean) => void }[] = [];
  #writing: Promise<void> | undefined;
  #seq = 0;
  #error: unknown;
  writes = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly keyPrefix: string,
  ) {}

  /**
   * Queues a record and starts a write unless one is under way. Resolves to `true` once the record
   * is stored, `false` when its write failed (never rejects).
   */
  record(record: DeliveryRecord): Promise<boolean> {
    if (this.#error !== undefined) return Promise.resolve(false);
    return new Promise((stored) => {
      this.#pending.push({ record, stored });
      this.#kick();
    });
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
    if (this.#writing || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    if (this.#error !== undefined) {
      for (const entry of batch) entry.stored(false);
      return;
    }
    this.#seq += 1;
    const key = `${this.keyPrefix}${String(this.#seq).padStart(6, '0')}.json`;
    this.writes += 1;
    const body = JSON.stringify(batch.map((entry) => entry.record));
    this.#writing = this.store
      .put(key, body, { contentType: JSON_TYPE })
      .then(
        () => true,
        (error: unknown) => {
          this.#error = error;
          return false;
        },
      )
      .then((ok) => {
        for (const entry of batch) entry.stored(ok);
      })
      .finally(() => {
        this.#writing = undefined;
        this.#kick();
      });
  }
}

const JSON_TYPE = 'application/json';

/** The record's JSON if it matches `schema`; `undefined` when it is not JSON or does not match. */
function parseBody<T>(body: Uint8Array, schema: v.GenericSchema<unknown, T>): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
  const result = v.safeParse(schema, json);
  return result.success ? result.output : undefined;
}

const completionSchema: v.GenericSchema<unknown, CompletionRecord> = v.object({
  completedAt: v.string(),
  sent: v.number(),
  rejected: v.number(),
});

/** A batch is read whole or not at all: a half-valid batch says nothing reliable. */
const batchSchema: v.GenericSchema<unknown, DeliveryRecord[]> = v.array(
  v.object({
    id: v.string(),
    status: v.picklist(['sent', 'rejected']),
    messageId: v.optional(v.string()),
    error: v.optional(v.string()),
  }),
);
