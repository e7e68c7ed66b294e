import { headEtag } from '../adapters/head.js';
import {
  DEFAULT_RETRY,
  type RetryPolicy,
  readJson,
  retryOnConflict,
  type Versioned,
  writeCondition,
} from '../shared/json-document.js';
import type { ObjectStore } from '../shared/ports.js';

export type { Versioned };

/** Returned by an updater to leave the document as it is (no request is made). */
export const UNCHANGED: unique symbol = Symbol('unchanged');

const JSON_TYPE = 'application/json';

/**
 * Reads a JSON state document; `undefined` when there is none.
 *
 * @throws {CorruptDocumentError} when it is not JSON.
 */
export function readDocument<T>(
  store: ObjectStore,
  key: string,
): Promise<Versioned<T> | undefined> {
  return readJson<T>(store, key);
}

/** The current ETag of the object at `key` (`undefined`: none), without downloading it. */
export function currentEtag(store: ObjectStore, key: string): Promise<string | undefined> {
  return headEtag(store, key);
}

/** Serialises a state document (stable key order is the caller's: objects are written as built). */
export function serialiseDocument(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Options for {@link updateDocument}. */
export interface UpdateOptions {
  /** Attempts before giving up with {@link ConcurrentUpdateError}. */
  attempts?: number;
  /** Waits between attempts; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
}

/** The outcome of {@link updateDocument}. */
export interface UpdateResult<T> {
  /** The document as it now stands (`undefined`: there is none). */
  value: T | undefined;
  /** ETag of the stored document (`undefined`: there is none). */
  etag: string | undefined;
  /** Whether this call wrote it. */
  written: boolean;
}

/**
 * Optimistic read-modify-write of one JSON document: reads it, lets `update` compute the next
 * value (it may read other objects; anything it reads is re-read on a retry), and writes it with
 * `If-Match` (or `If-None-Match: *` when it did not exist). On a lost race (412) it starts over
 * ({@link retryOnConflict}).
 */
export function updateDocument<T>(
  store: ObjectStore,
  key: string,
  update: (current: T | undefined) => Promise<T | typeof UNCHANGED> | T | typeof UNCHANGED,
  options: UpdateOptions = {},
): Promise<UpdateResult<T>> {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY,
    maxAttempts: options.attempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: 20,
    sleep: options.sleep ?? DEFAULT_RETRY.sleep,
  };
  return retryOnConflict(
    key,
    async () => {
      const current = await readDocument<T>(store, key);
      const next = await update(current?.value);
      if (next === UNCHANGED) {
        return { value: current?.value, etag: current?.etag, written: false };
      }
      const { etag } = await store.put(key, serialiseDocument(next), {
        contentType: JSON_TYPE,
        ...writeCondition(current),
      });
      return { value: next, etag, written: true };
    },
    policy,
  );
}
