import * as v from 'valibot';
import {
  type Change,
  DEFAULT_RETRY,
  documentOf,
  type RetryPolicy,
  readDocument,
  updateDocument,
} from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { SHARD_COUNT, shardOfAddressHash, shardOfId } from './ids.js';
import type { AddressState, PendingSignup, Subscriber } from './types.js';

/** Where everything lives in the private bucket; see docs/subscriptions.md. */
export const SUBSCRIBERS_PREFIX = 'subscribers/';
const SHARDS_PREFIX = `${SUBSCRIBERS_PREFIX}shards/`;
const PENDING_PREFIX = `${SUBSCRIBERS_PREFIX}pending/`;
const THROTTLE_PREFIX = `${SUBSCRIBERS_PREFIX}throttle/`;
const SUPPRESSIONS_PREFIX = `${SUBSCRIBERS_PREFIX}suppressions/`;

/** Object key of roster shard `shard` (`subscribers/shards/00.json` … `3f.json`). */
export function shardKey(shard: number): string {
  return `${SHARDS_PREFIX}${shard.toString(16).padStart(2, '0')}.json`;
}

/** Object key of a pending sign-up. */
function pendingKey(id: string): string {
  return `${PENDING_PREFIX}${id}.json`;
}

/** Object key of the suppression state of an address. */
export function suppressionKey(addressHash: string): string {
  return `${SUPPRESSIONS_PREFIX}${addressHash}.json`;
}

/** One roster shard, as read by {@link SubscriberStore.shards}. */
export interface Shard {
  shard: number;
  subscribers: Subscriber[];
}

interface ShardFile {
  format: 1;
  subscribers: Subscriber[];
}

/**
 * The subscriber store on an {@link ObjectStore} (the private bucket). Confirmed subscribers live in
 * {@link SHARD_COUNT} roster shards chosen by the keyed hash of the address; each shard is updated
 * by a conditional write, so concurrent sign-ups never overwrite each other. Pending sign-ups,
 * confirmation throttles and suppressions are one small object each.
 */
export class SubscriberStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** The confirmed subscribers of one shard (empty when the shard does not exist yet). */
  async readShard(shard: number): Promise<Subscriber[]> {
    const file = await readDocument(this.store, shardKey(shard), shardFileSchema);
    return file?.value.subscribers ?? [];
  }

  /**
   * Every shard in order, one at a time: one GET per shard whatever the number of subscribers, and
   * only one shard in memory while the caller works on it.
   */
  async *shards(): AsyncGenerator<Shard> {
    for (let shard = 0; shard < SHARD_COUNT; shard += 1) {
      yield { shard, subscribers: await this.readShard(shard) };
    }
  }

  /** Every confirmed subscriber, streamed shard by shard (see {@link shards}). */
  async *subscribers(): AsyncGenerator<Subscriber> {
    for await (const { subscribers } of this.shards()) yield* subscribers;
  }

  /** The confirmed subscriber with this id. */
  async findById(id: string): Promise<Subscriber | undefined> {
    const shard = shardOfId(id);
    if (shard === undefined) return undefined;
    return (await this.readShard(shard)).find((s) => s.id === id);
  }

  /** The confirmed subscriber with this address hash. */
  async findByAddressHash(addressHash: string): Promise<Subscriber | undefined> {
    const shard = shardOfAddressHash(addressHash);
    return (await this.readShard(shard)).find((s) => s.addressHash === addressHash);
  }

  /**
   * Adds a confirmed subscriber, or, when the address is already subscribed, replaces that
   * record's preferences and consent while keeping its id (so links in earlier mail keep working).
   *
   * @returns the record as stored.
   */
  async upsert(subscriber: Subscriber): Promise<Subscriber> {
    const shard = shardOfAddressHash(subscriber.addressHash);
    return this.updateShard(shard, (subscribers) => {
      const index = subscribers.findIndex((s) => s.addressHash === subscriber.addressHash);
      const existing = subscribers[index];
      const stored = existing ? { ...subscriber, id: existing.id } : subscriber;
      const next =
        index < 0
          ? [...subscribers, stored]
          : subscribers.map((s, i) => (i === index ? stored : s));
      return { next, result: stored };
    });
  }

  /**
   * Applies `change` to the subscriber with this id (it may run more than once: keep it pure).
   *
   * @returns the updated record, or `undefined` when there is no such subscriber.
   */
  async update(id: string, change: (s: Subscriber) => Subscriber): Promise<Subscriber | undefined> {
    const shard = shardOfId(id);
    if (shard === undefined) return undefined;
    return this.updateShard(shard, (subscribers) => {
      const current = subscribers.find((s) => s.id === id);
      if (current === undefined) return { next: undefined, result: undefined };
      const updated = { ...change(current), id: current.id, addressHash: current.addressHash };
      return { next: subscribers.map((s) => (s.id === id ? updated : s)), result: updated };
    });
  }

  /** Removes the subscriber with this id; returns the removed record, if there was one. */
  async removeById(id: string): Promise<Subscriber | undefined> {
    const shard = shardOfId(id);
    if (shard === undefined) return undefined;
    return this.removeWhere(shard, (s) => s.id === id);
  }

  /** Removes the subscriber with this address hash; returns the removed record, if there was one. */
  async removeByAddressHash(addressHash: string): Promise<Subscriber | undefined> {
    return this.removeWhere(shardOfAddressHash(addressHash), (s) => s.addressHash === addressHash);
  }

  /** Stores a pending sign-up under its id (a new id every time: never overwrites). */
  async putPending(signup: PendingSignup): Promise<void> {
    await this.store.put(pendingKey(signup.id), JSON.stringify(signup), {
      contentType: 'application/json',
      ifNoneMatch: '*',
    });
  }

  /** The pending sign-up with this id. */
  async getPending(id: string): Promise<PendingSignup | undefined> {
    return (await readDocument(this.store, pendingKey(id), pendingSchema))?.value;
  }

  /** Forgets a pending sign-up (after confirmation or expiry). */
  async deletePending(id: string): Promise<void> {
    await this.store.delete(pendingKey(id));
  }

  /** Suppression and soft-bounce state of an address, if any was ever recorded. */
  async getAddressState(addressHash: string): Promise<AddressState | undefined> {
    return (await readDocument(this.store, suppressionKey(addressHash), addressStateSchema))?.value;
  }

  /**
   * Read-modify-write of an address's suppression state (conditional, retried). `change` returns
   * the new state, or `undefined` to delete the object. It may run more than once: keep it pure.
   */
  async updateAddressState(
    addressHash: string,
    change: (current: AddressState | undefined) => AddressState | undefined,
  ): Promise<AddressState | undefined> {
    return updateDocument(
      this.store,
      suppressionKey(addressHash),
      addressStateSchema,
      (current) => {
        const next = change(current);
        const decided: Change<AddressState> =
          next === undefined ? { delete: true } : { write: next };
        return { change: decided, result: next };
      },
      this.retry,
    );
  }

  /**
   * Deletes pending sign-ups and throttles that can no longer matter: pending sign-ups written more
   * than `pendingTtlMs` ago and throttles older than `throttleTtlMs`. For a nightly job; an S3
   * lifecycle rule on the same prefixes does the same without code.
   *
   * @returns how many objects were deleted.
   */
  async purgeExpired(now: Date, pendingTtlMs: number, throttleTtlMs: number): Promise<number> {
    let deleted = 0;
    for (const [prefix, ttl] of [
      [PENDING_PREFIX, pendingTtlMs],
      [THROTTLE_PREFIX, throttleTtlMs],
    ] as const) {
      for await (const object of this.store.list(prefix)) {
        const written = object.lastModified?.getTime();
        if (written !== undefined && now.getTime() - written > ttl) {
          await this.store.delete(object.key);
          deleted += 1;
        }
      }
    }
    return deleted;
  }

  private removeWhere(
    shard: number,
    matches: (s: Subscriber) => boolean,
  ): Promise<Subscriber | undefined> {
    return this.updateShard(shard, (subscribers) => {
      const removed = subscribers.find(matches);
      if (removed === undefined) return { next: undefined, result: undefined };
      return { next: subscribers.filter((s) => s !== removed), result: removed };
    });
  }

  /** `next: undefined` leaves the shard untouched. */
  private updateShard<R>(
    shard: number,
    change: (subscribers: Subscriber[]) => { next: Subscriber[] | undefined; result: R },
  ): Promise<R> {
    return updateDocument(
      this.store,
      shardKey(shard),
      shardFileSchema,
      (current) => {
        const { next, result } = change(current?.subscribers ?? []);
        const decided: Change<ShardFile> =
          next === undefined ? { keep: true } : { write: { format: 1, subscribers: next } };
        return { change: decided, result };
      },
      this.retry,
    );
  }
}

/** Shape check only: the bucket is private and written by this code alone. */
const shardFileSchema = documentOf<ShardFile>(
  v.looseObject({
    format: v.literal(1),
    subscribers: v.array(v.looseObject({ id: v.string(), addressHash: v.string() })),
  }),
);

const pendingSchema = documentOf<PendingSignup>(
  v.looseObject({ id: v.string(), address: v.string() }),
);

const addressStateSchema = documentOf<AddressState>(
  v.looseObject({ transientBounces: v.array(v.unknown()) }),
);
