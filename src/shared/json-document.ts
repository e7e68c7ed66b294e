import { type ObjectStore, PreconditionFailedError } from './ports.js';

/** Conditional writes to one object kept losing races; the caller fails so its work is retried. */
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

/** A stored JSON document is not what this code writes: it is never overwritten blindly. */
export class CorruptDocumentError extends Error {
  override readonly name = 'CorruptDocumentError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`${key} is not a valid JSON document of this version`, options);
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

/** A JSON document as read, with the ETag a conditional write must match. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/**
 * Reads and parses a JSON document; `undefined` when there is none.
 *
 * @param parse validates the parsed JSON; `undefined` from it means the document is corrupt.
 * @throws {CorruptDocumentError} when the object is not JSON or `parse` refuses it.
 */
export async function readJson<T>(
  store: ObjectStore,
  key: string,
  parse: (value: unknown) => T | undefined = (value) => value as T,
): Promise<Versioned<T> | undefined> {
  const object = await store.get(key);
  if (object === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(object.body).toString('utf8'));
  } catch (error) {
    throw new CorruptDocumentError(key, { cause: error });
  }
  const value = parse(json);
  if (value === undefined) throw new CorruptDocumentError(key);
  return { value, etag: object.etag };
}

/**
 * The optimistic-concurrency loop every read-modify-write shares: runs `attempt` (which reads,
 * decides and writes conditionally) until it completes without losing a race, waiting a jittered,
 * doubling back-off after each {@link PreconditionFailedError} so concurrent writers do not retry
 * in lockstep. `attempt` must re-read everything it depends on: it may run several times.
 *
 * @throws {ConcurrentUpdateError} after `policy.maxAttempts` lost races.
 */
export async function retryOnConflict<T>(
  key: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  let lastConflict: unknown;
  for (let tries = 0; tries < policy.maxAttempts; tries += 1) {
    if (tries > 0) {
      const ceiling = policy.baseDelayMs * 2 ** Math.min(tries - 1, 8);
      await policy.sleep(Math.floor(policy.random() * ceiling));
    }
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      lastConflict = error;
    }
  }
  throw new ConcurrentUpdateError(key, policy.maxAttempts, { cause: lastConflict });
}

/** The write condition that matches what was read: its ETag, or that there was nothing. */
export function writeCondition(
  current: Versioned<unknown> | undefined,
): { ifMatch: string } | { ifNoneMatch: '*' } {
  return current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag };
}
