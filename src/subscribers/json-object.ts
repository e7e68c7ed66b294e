import { type ObjectStore, PreconditionFailedError } from '../shared/ports.js';

/** A conditional update kept losing races; the caller may retry later. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
  constructor(
    readonly key: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`Gave up updating ${key} after ${attempts} conflicting writes`, options);
  }
}

/** A stored object is not what this code wrote: refuse to overwrite it. */
export class CorruptObjectError extends Error {
  override readonly name = 'CorruptObjectError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`${key} is not a valid subscribers object`, options);
  }
}

/** How conditional updates wait and how often they try. */
export interface RetryPolicy {
  maxAttempts: number;
  /** First back-off ceiling in ms; doubles per attempt (full jitter). */
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 10,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What an update function decides: write `value`, delete the object, or leave it as it is. */
export type Change<T> = { write: T } | { delete: true } | { keep: true };

/** Reads and parses a JSON object; `undefined` when there is none. */
export async function readJson<T>(
  store: ObjectStore,
  key: string,
  parse: (value: unknown) => T | undefined,
): Promise<{ value: T; etag: string } | undefined> {
  const object = await store.get(key);
  if (object === undefined) return undefined;
  return { value: decode(key, object.body, parse), etag: object.etag };
}

/**
 * Read-modify-write of one JSON object with optimistic concurrency: the write is conditional on the
 * ETag that was read (or on absence), and a lost race re-reads and re-applies `change` after a
 * jittered back-off. `change` must be pure: it may run several times.
 *
 * @returns the result `change` computed on the state that was finally written.
 * @throws {ConcurrentUpdateError} after `policy.maxAttempts` lost races.
 */
export async function updateJson<T, R>(
  store: ObjectStore,
  key: string,
  parse: (value: unknown) => T | undefined,
  change: (current: T | undefined) => { change: Change<T>; result: R },
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<R> {
  let lastConflict: unknown;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt += 1) {
    if (attempt > 0) {
      const ceiling = policy.baseDelayMs * 2 ** Math.min(attempt - 1, 8);
      await policy.sleep(Math.floor(policy.random() * ceiling));
    }
    const current = await readJson(store, key, parse);
    const { change: decided, result } = change(current?.value);
    try {
      if ('keep' in decided) return result;
      if ('delete' in decided) {
        if (current !== undefined) await store.delete(key);
        return result;
      }
      await store.put(key, JSON.stringify(decided.write), {
        contentType: 'application/json',
        ...(current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag }),
      });
      return result;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      lastConflict = error;
    }
  }
  throw new ConcurrentUpdateError(key, policy.maxAttempts, { cause: lastConflict });
}

function decode<T>(key: string, body: Uint8Array, parse: (value: unknown) => T | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new CorruptObjectError(key, { cause: error });
  }
  const value = parse(json);
  if (value === undefined) throw new CorruptObjectError(key);
  return value;
}
