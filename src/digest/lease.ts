import * as v from 'valibot';
import {
  type Clock,
  type ObjectStore,
  PreconditionFailedError,
  type StoredObject,
} from '../shared/ports.js';

/** Another invocation took the run over (our lease expired and was taken): stop sending. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Lost the lease ${key} to another run`, options);
  }
}

interface LeaseRecord {
  owner: string;
  /** ISO 8601 instant after which anybody may take the lease. */
  expiresAt: string;
}

/** The outcome of {@link RunLease.acquire}. */
export type LeaseAttempt = { ok: true; lease: RunLease } | { ok: false; heldUntil: Date };

/**
 * Mutual exclusion between invocations of the same run, as one S3 object written only with
 * conditions: `If-None-Match: *` to create it, `If-Match: <etag>` to renew, take over an expired
 * one, or release it. Whoever loses a conditional write has lost the race and must not send.
 */
export class RunLease {
  #etag: string;
  #expiresAt: number;
  #renewing: Promise<void> | undefined;

  private constructor(
    private readonly store: ObjectStore,
    readonly key: string,
    readonly owner: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    etag: string,
    expiresAt: number,
  ) {
    this.#etag = etag;
    this.#expiresAt = expiresAt;
  }

  /**
   * Takes the lease if nobody holds it, it has expired, or `owner` already holds it. A lease that
   * cannot be read (empty, torn, foreign) may be one being written right now, so it counts as held
   * for one time to live from when it was stored, then is taken over; `onUnreadable` is told first.
   */
  static async acquire(
    store: ObjectStore,
    key: string,
    owner: string,
    clock: Clock,
    ttlMs: number,
    onUnreadable: (stored: StoredObject) => Promise<void> = async () => {},
  ): Promise<LeaseAttempt> {
    const now = clock().getTime();
    const body = record(owner, now + ttlMs);
    try {
      const { etag } = await store.put(key, body, { ifNoneMatch: '*', contentType: JSON_TYPE });
      return { ok: true, lease: new RunLease(store, key, owner, clock, ttlMs, etag, now + ttlMs) };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
    const current = await store.get(key);
    if (current === undefined) return { ok: false, heldUntil: new Date(now) };
    const held = parse(current.body);
    if (held === undefined) await onUnreadable(current);
    const heldUntil = held
      ? Date.parse(held.expiresAt)
      : (current.lastModified?.getTime() ?? Number.NEGATIVE_INFINITY) + ttlMs;
    if (held?.owner !== owner && heldUntil > now) {
      return { ok: false, heldUntil: new Date(heldUntil) };
    }
    try {
      const { etag } = await store.put(key, body, {
        ifMatch: current.etag,
        contentType: JSON_TYPE,
      });
      return { ok: true, lease: new RunLease(store, key, owner, clock, ttlMs, etag, now + ttlMs) };
    } catch (error) {
      if (error instanceof PreconditionFailedError)
        return { ok: false, heldUntil: new Date(now + ttlMs) };
      throw error;
    }
  }

  /** When the lease runs out unless renewed. */
  get expiresAt(): Date {
    return new Date(this.#expiresAt);
  }

  /**
   * Renews the lease when less than `minRemainingMs` of it is left; concurrent callers share one
   * renewal. Rejects with {@link LeaseLostError} when someone else holds it now.
   */
  ensure(minRemainingMs: number): Promise<void> {
    if (this.#expiresAt - this.clock().getTime() > minRemainingMs) return Promise.resolve();
    this.#renewing ??= this.renew().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  /** Extends the lease by its time to live from now. */
  async renew(): Promise<void> {
    const expiresAt = this.clock().getTime() + this.ttlMs;
    this.#etag = await this.write(record(this.owner, expiresAt));
    this.#expiresAt = expiresAt;
  }

  /** Gives the lease up at once, so a continuation can start without waiting for it to expire. */
  async release(): Promise<void> {
    const now = this.clock().getTime();
    this.#etag = await this.write(record(this.owner, now));
    this.#expiresAt = now;
  }

  private async write(body: string): Promise<string> {
    try {
      const { etag } = await this.store.put(this.key, body, {
        ifMatch: this.#etag,
        contentType: JSON_TYPE,
      });
      return etag;
    } catch (error) {
      if (error instanceof PreconditionFailedError)
        throw new LeaseLostError(this.key, { cause: error });
      throw error;
    }
  }
}

const JSON_TYPE = 'application/json';

function record(owner: string, expiresAt: number): string {
  const value: LeaseRecord = { owner, expiresAt: new Date(expiresAt).toISOString() };
  return JSON.stringify(value);
}

const leaseSchema = v.object({
  owner: v.string(),
  expiresAt: v.pipe(
    v.string(),
    v.check((at) => !Number.isNaN(Date.parse(at))),
  ),
});

/** The lease as stored; `undefined` when the object is not one (a broken lease is a free one). */
function parse(body: Uint8Array): LeaseRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  const result = v.safeParse(leaseSchema, json);
  return result.success ? result.output : undefined;
}
