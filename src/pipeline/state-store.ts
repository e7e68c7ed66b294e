import { headEtag } from '../adapters/head.js';
import { type ObjectStore, PreconditionFailedError } from '../shared/ports.js';

/** A state document as read, with the ETag a conditional write must match. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Conditional writes kept losing races; the caller should fail so the event is retried. */
export class ContentionError extends Error {
  override readonly name = 'ContentionError';
  constructor(
    readonly key: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`Gave up writing ${key} after ${attempts} conflicting attempts`, options);
  }
}

/** A state object that is not the JSON this version of the pipeline writes. */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`State object ${key} is not valid JSON`, options);
  }
}

/** Returned by an updater to leave the document as it is (no request is made). */
export const UNCHANGED: unique symbol = Symbol('unchanged');

const JSON_TYPE = 'application/json';

/** Reads a JSON state document; `undefined` when there is none. */
export async function readDocument<T>(
  store: ObjectStore,
  key: string,
): Promise<Versioned<T> | undefined> {
  const object = await store.get(key);
  if (object === undefined) return undefined;
  try {
    return { value: JSON.parse(new TextDecoder().decode(object.body)) as T, etag: object.etag };
  } catch (error) {
    throw new CorruptStateError(key, { cause: error });
  }
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
  /** Attempts before giving up with {@link ContentionError}. */
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
 * `If-Match` (or `If-None-Match: *` when it did not exist). On a lost race (412) it starts over.
 */
export async function updateDocument<T>(
  store: ObjectStore,
  key: string,
  update: (current: T | undefined) => Promise<T | typeof UNCHANGED> | T | typeof UNCHANGED,
  options: UpdateOptions = {},
): Promise<UpdateResult<T>> {
  const attempts = options.attempts ?? 12;
  const sleep = options.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const current = await readDocument<T>(store, key);
    const next = await update(current?.value);
    if (next === UNCHANGED) {
      return { value: current?.value, etag: current?.etag, written: false };
    }
    try {
      const { etag } = await store.put(key, serialiseDocument(next), {
        contentType: JSON_TYPE,
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
      });
      return { value: next, etag, written: true };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      lastError = error;
      // Full jitter keeps concurrent invocations from retrying in lockstep.
      await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
    }
  }
  throw new ContentionError(key, attempts, { cause: lastError });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
