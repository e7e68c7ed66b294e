import type { HeadCapable } from '../../src/adapters/head.js';
import { md5Etag } from '../../src/pipeline/outputs.js';
import type {
  ObjectStore,
  ObjectSummary,
  PutOptions,
  StoredObject,
} from '../../src/shared/ports.js';

/** Reads of a body still being flushed: 5, 10, … 640 ms apart, about 1.3 s in all. */
const FLUSH_RETRIES = 8;

/**
 * Keeps s3rver's own failures out of the local stack and the fault tests, so the only errors a
 * caller sees are real ones:
 * - s3rver stores objects as files and, after a DELETE, removes the folders it left empty; two
 *   DELETEs in one folder at once (e.g. a scope's three feeds) race on that clean-up, and one of
 *   them answers a real 500 — S3 never does. A bucket's DELETEs run one at a time, each while no
 *   other request to the bucket is under way.
 * - s3rver finishes a PUT (new ETag stored, answer sent) once the body has passed its MD5 hash,
 *   not once the file is flushed: a GET right after may read the new ETag with a short or empty
 *   body, which S3 never serves. A body whose MD5 is not its ETag is read again until it is.
 */
export class S3rverFolderGuard implements ObjectStore, HeadCapable {
  #deletes: Promise<unknown> = Promise.resolve();
  readonly #others = new Set<Promise<unknown>>();

  constructor(readonly inner: ObjectStore & HeadCapable) {}

  get(key: string): Promise<StoredObject | undefined> {
    return this.#shared(() => this.#completeGet(key));
  }

  async #completeGet(key: string): Promise<StoredObject | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      const object = await this.inner.get(key);
      if (object === undefined || md5Etag(object.body) === object.etag) return object;
      if (attempt >= FLUSH_RETRIES) {
        throw new Error(`s3rver served ${key} with a body that does not match its ETag`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt));
    }
  }

  head(key: string): Promise<{ etag: string } | undefined> {
    return this.#shared(() => this.inner.head(key));
  }

  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<{ etag: string }> {
    return this.#shared(() => this.inner.put(key, body, options));
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    const iterator = this.inner.list(prefix)[Symbol.asyncIterator]();
    try {
      // The first page's request is the one that walks s3rver's folders (listings here fit in one
      // page); guarding only it lets a caller delete while it iterates without a deadlock.
      let step = await this.#shared(() => iterator.next());
      while (!step.done) {
        yield step.value;
        step = await iterator.next();
      }
    } finally {
      await iterator.return?.();
    }
  }

  delete(key: string): Promise<void> {
    // Requests made before this DELETE run first; those made after it wait for it (no cycle).
    const before = [...this.#others];
    const run = this.#deletes
      .catch(() => undefined)
      .then(async () => {
        await Promise.allSettled(before);
        await this.inner.delete(key);
      });
    this.#deletes = run;
    return run;
  }

  /** Runs `work` once no DELETE is pending; DELETEs that come later wait for it. */
  #shared<T>(work: () => Promise<T>): Promise<T> {
    const running = this.#deletes.catch(() => undefined).then(work);
    this.#others.add(running);
    const forget = () => this.#others.delete(running);
    running.then(forget, forget);
    return running;
  }
}
