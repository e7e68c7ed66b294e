import * as v from 'valibot';
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

/**
 * A stored JSON document is not what this code writes: it is never overwritten blindly. The
 * message names the key and, when the JSON parsed but did not match its schema, the field path.
 */
export class CorruptDocumentError extends Error {
  override readonly name = 'CorruptDocumentError';
  constructor(
    readonly key: string,
    readonly fieldPath?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${key} is not a valid JSON document of this version${fieldPath === undefined ? '' : `: ${fieldPath}`}`,
      options,
    );
  }
}

/**
 * The schema a stored document must match; its output type is the type the code works with. It
 * only checks (no transforms or defaults): a matching document is used as stored.
 */
export type DocumentSchema<T> = v.GenericSchema<unknown, T>;

/**
 * A schema whose output is declared as the document type whose shape it checks: for documents
 * that carry this code's own nested output, where the schema checks the fields the reader relies
 * on and passes the rest through (loose objects keep a document unchanged on a round trip).
 */
export function documentOf<T>(schema: v.GenericSchema): DocumentSchema<T> {
  return schema as DocumentSchema<T>;
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

/** Serialises a JSON document (key order is the caller's: objects are written as built). */
export function serialiseDocument(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Parses the bytes of a stored JSON document and checks them against `schema`.
 *
 * @throws {CorruptDocumentError} naming `key` (and the first failing field) when the bytes are
 *   not JSON or do not match.
 */
function parseDocument<T>(key: string, body: Uint8Array, schema: DocumentSchema<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new CorruptDocumentError(key, undefined, { cause: error });
  }
  const result = v.safeParse(schema, json);
  // The schema checks; the document is returned as parsed, its key order intact, so that a batch
  // comparing what it read with what it would write sees no change where there is none.
  if (result.success) return json as T;
  const [issue] = result.issues;
  const path = v.getDotPath(issue) ?? '(document)';
  throw new CorruptDocumentError(key, `${path}: ${issue.message}`, {
    cause: new v.ValiError(result.issues),
  });
}

/**
 * Reads a JSON document and checks it against `schema`; `undefined` when there is none.
 *
 * @throws {CorruptDocumentError} when the object is not JSON or does not match `schema`.
 */
export async function readDocument<T>(
  store: ObjectStore,
  key: string,
  schema: DocumentSchema<T>,
): Promise<Versioned<T> | undefined> {
  const object = await store.get(key);
  if (object === undefined) return undefined;
  return { value: parseDocument(key, object.body, schema), etag: object.etag };
}

/**
 * The optimistic-concurrency loop every read-modify-write shares: runs `attempt` (which reads,
 * decides and writes conditionally) until it completes without losing a race, waiting a jittered,
 * doubling back-off after each {@link PreconditionFailedError} so concurrent writers do not retry
 * in lockstep. `attempt` must re-read everything it depends on: it may run several times.
 *
 * @throws {ConcurrentUpdateError} after `policy.maxAttempts` lost races.
 */
async function retryOnConflict<T>(
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
function writeCondition(
  current: Versioned<unknown> | undefined,
): { ifMatch: string } | { ifNoneMatch: '*' } {
  return current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag };
}

/** What an update function decides: write `value`, delete the object, or leave it as it is. */
export type Change<T> = { write: T } | { delete: true } | { keep: true };

/**
 * Read-modify-write of one document with optimistic concurrency (see {@link retryOnConflict}):
 * the write is conditional on the ETag that was read (or on absence). `change` must be pure: it
 * may run several times.
 *
 * @returns the result `change` computed on the state that was finally written.
 * @throws {ConcurrentUpdateError} after `policy.maxAttempts` lost races.
 * @throws {CorruptDocumentError} when the stored object does not match `schema`.
 */
export function updateDocument<T, R>(
  store: ObjectStore,
  key: string,
  schema: DocumentSchema<T>,
  change: (current: T | undefined) => { change: Change<T>; result: R },
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<R> {
  return retryOnConflict(
    key,
    async () => {
      const current = await readDocument(store, key, schema);
      const { change: decided, result } = change(current?.value);
      if ('keep' in decided) return result;
      if ('delete' in decided) {
        if (current !== undefined) await store.delete(key);
        return result;
      }
      await store.put(key, JSON.stringify(decided.write), {
        contentType: 'application/json',
        ...writeCondition(current),
      });
      return result;
    },
    policy,
  );
}

/**
 * The state documents one batch works on: each read at most once (checked against the schema it
 * is first asked for), changed in memory by every event of the batch, and written once by
 * {@link BatchDocuments.flush}. Writes are conditional on what was read (`If-Match`, or
 * `If-None-Match: *` for a new document) only as a guard against an unexpected second writer: the
 * pipeline has one consumer, so a 412 is not retried here — it fails the batch, and the queue
 * delivers the batch again.
 */
export class BatchDocuments {
  readonly #read = new Map<string, Promise<Versioned<unknown> | undefined>>();
  readonly #changed = new Map<string, unknown>();

  constructor(readonly store: ObjectStore) {}

  /** The document as the batch sees it: its own change if any, else the stored one. */
  async get<T>(key: string, schema: DocumentSchema<T>): Promise<T | undefined> {
    if (this.#changed.has(key)) return this.#changed.get(key) as T | undefined;
    return (await this.#stored(key, schema))?.value as T | undefined;
  }

  /** Sets the document's next value; written by the next {@link flush} if it differs. */
  set<T>(key: string, value: T): void {
    this.#changed.set(key, value);
  }

  /**
   * Writes every changed document whose JSON differs from the stored one, in parallel, and
   * returns their keys. A document that was never stored and is set to `isEmpty` stays unwritten.
   */
  async flush(isEmpty: (key: string, value: unknown) => boolean = () => false): Promise<string[]> {
    const changed = [...this.#changed];
    this.#changed.clear();
    const written = await Promise.all(
      changed.map(async ([key, value]) => {
        const stored = await this.#stored(key, v.unknown());
        if (stored === undefined && isEmpty(key, value)) return undefined;
        if (stored !== undefined && JSON.stringify(stored.value) === JSON.stringify(value)) {
          return undefined;
        }
        const { etag } = await this.store.put(key, serialiseDocument(value), {
          contentType: 'application/json',
          ...writeCondition(stored),
        });
        this.#read.set(key, Promise.resolve({ value, etag }));
        return key;
      }),
    );
    return written.filter((key): key is string => key !== undefined);
  }

  #stored(key: string, schema: DocumentSchema<unknown>): Promise<Versioned<unknown> | undefined> {
    let read = this.#read.get(key);
    if (read === undefined) {
      read = readDocument(this.store, key, schema);
      this.#read.set(key, read);
    }
    return read;
  }
}
