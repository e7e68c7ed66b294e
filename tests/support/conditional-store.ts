import { createHash } from 'node:crypto';
import {
  type ObjectStore,
  type ObjectSummary,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../src/shared/ports.js';

/**
 * An in-memory ObjectStore that enforces If-Match / If-None-Match like S3 (s3rver ignores them),
 * counts requests, and lets a test run code between a read and the write that follows it, or make
 * writes fail, to stage lost races and faults.
 */
export class ConditionalStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  readonly requests = { get: 0, put: 0, delete: 0, list: 0, preconditionFailed: 0 };
  /** Runs before every put is checked; may change the store (a competing writer) or throw. */
  beforePut?: (key: string, options: PutOptions) => Promise<void> | void;
  /** `false` behaves like s3rver: conditions ignored, last writer wins (shows what they prevent). */
  enforceConditions = true;
  /** Runs before every get; may throw to simulate an outage. */
  beforeGet?: (key: string) => Promise<void> | void;

  async get(key: string): Promise<StoredObject | undefined> {
    this.requests.get += 1;
    await this.beforeGet?.(key);
    // Let other async work interleave, as a network round trip would.
    await new Promise((resolve) => setImmediate(resolve));
    const object = this.objects.get(key);
    return object ? { ...object, body: new Uint8Array(object.body) } : undefined;
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<{ etag: string }> {
    this.requests.put += 1;
    await this.beforePut?.(key, options);
    await new Promise((resolve) => setImmediate(resolve));
    const current = this.objects.get(key);
    if (
      this.enforceConditions &&
      ((options.ifNoneMatch === '*' && current !== undefined) ||
        (options.ifMatch !== undefined && current?.etag !== options.ifMatch))
    ) {
      this.requests.preconditionFailed += 1;
      throw new PreconditionFailedError(key);
    }
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    const etag = `"${createHash('md5').update(bytes).update(String(Math.random())).digest('hex')}"`;
    this.objects.set(key, {
      body: bytes,
      etag,
      lastModified: new Date(),
      ...(options.contentType ? { contentType: options.contentType } : {}),
    });
    return { etag };
  }

  async delete(key: string): Promise<void> {
    this.requests.delete += 1;
    this.objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    this.requests.list += 1;
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) {
        yield {
          key,
          etag: object.etag,
          size: object.body.byteLength,
          lastModified: object.lastModified,
        };
      }
    }
  }

  /** The JSON object under `key`, parsed. */
  json(key: string): unknown {
    const object = this.objects.get(key);
    return object ? JSON.parse(new TextDecoder().decode(object.body)) : undefined;
  }
}
