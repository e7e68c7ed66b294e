import { headEtag } from '../../src/adapters/head.js';
import { KeyQueue } from '../../src/shared/key-queue.js';
import {
  type ObjectStore,
  type ObjectSummary,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../src/shared/ports.js';

/**
 * Enforces `If-Match` / `If-None-Match` on top of a store that ignores them (s3rver), by checking
 * the current ETag and writing under a per-key lock (reads take the lock too, so nobody sees a
 * half-written object). Sound only while every writer of the wrapped
 * objects goes through this one instance — true for the local stack, where all handlers run in one
 * process; real S3 enforces the conditions itself and needs no wrapper.
 */
export class ConditionEnforcingStore implements ObjectStore {
  readonly #queue = new KeyQueue();

  constructor(readonly inner: ObjectStore) {}

  get(key: string): Promise<StoredObject | undefined> {
    // s3rver streams a body to disk while another request may read it; S3 never shows a partial
    // object, so reads of a key wait for its writes here.
    return this.#queue.run(key, () => this.inner.get(key));
  }

  put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<{ etag: string }> {
    const { ifMatch, ifNoneMatch, ...plain } = options;
    if (ifMatch === undefined && ifNoneMatch === undefined) {
      return this.#queue.run(key, () => this.inner.put(key, body, plain));
    }
    return this.#queue.run(key, async () => {
      const current = await headEtag(this.inner, key);
      const fails =
        (ifNoneMatch === '*' && current !== undefined) ||
        (ifMatch !== undefined && current !== ifMatch);
      if (fails) throw new PreconditionFailedError(key);
      return this.inner.put(key, body, plain);
    });
  }

  /** The object's ETag, without its body. */
  async head(key: string): Promise<{ etag: string } | undefined> {
    const etag = await this.#queue.run(key, () => headEtag(this.inner, key));
    return etag === undefined ? undefined : { etag };
  }

  delete(key: string): Promise<void> {
    return this.#queue.run(key, () => this.inner.delete(key));
  }

  list(prefix: string): AsyncIterable<ObjectSummary> {
    return this.inner.list(prefix);
  }
}
