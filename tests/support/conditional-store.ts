import { createHash } from 'node:crypto';
import {
  type ObjectStore,
  type ObjectSummary,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../src/shared/ports.js';

/** An object as the in-memory store keeps it: what S3 keeps, headers included. */
export interface MemoryObject extends StoredObject {
  lastModified: Date;
  cacheControl?: string;
  contentDisposition?: string;
}

/**
 * The in-memory ObjectStore for logic tests: S3's semantics at memory speed. It enforces If-Match /
 * If-None-Match like S3 (s3rver ignores them), gives single-part MD5 ETags, keeps Content-Type,
 * Cache-Control and Content-Disposition, lists in key order and answers HEAD. Every call yields
 * to the event loop, as a network round trip would, so concurrent callers interleave. It counts
 * requests and lets a test run code between a read and the write that follows it, or make writes
 * fail, to stage lost races and faults. tests/adapters/object-store-contract.ts runs the same
 * cases against it, the file system adapter and s3rver behind the local gate.
 */
export class ConditionalStore implements ObjectStore {
  readonly objects = new Map<string, MemoryObject>();
  readonly requests = { get: 0, head: 0, put: 0, delete: 0, list: 0, preconditionFailed: 0 };
  /** The key of every successful put, in order. */
  readonly written: string[] = [];
  /** Runs before every put is checked; may change the store (a competing writer) or throw. */
  beforePut?: (key: string, options: PutOptions) => Promise<void> | void;
  /** `false` behaves like s3rver: conditions ignored, last writer wins (shows what they prevent). */
  enforceConditions = true;
  /** Runs before every get; may throw to simulate an outage. */
  beforeGet?: (key: string) => Promise<void> | void;

  async get(key: string): Promise<MemoryObject | undefined> {
    this.requests.get += 1;
    await this.beforeGet?.(key);
    await roundTrip();
    const object = this.objects.get(key);
    return object ? { ...object, body: new Uint8Array(object.body) } : undefined;
  }

  /** The object's ETag without its body (S3 HeadObject). */
  async head(key: string): Promise<{ etag: string } | undefined> {
    this.requests.head += 1;
    await roundTrip();
    const object = this.objects.get(key);
    return object ? { etag: object.etag } : undefined;
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<{ etag: string }> {
    this.requests.put += 1;
    await this.beforePut?.(key, options);
    await roundTrip();
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
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    const { contentType, cacheControl, contentDisposition } = options;
    this.objects.set(key, {
      body: bytes,
      etag,
      lastModified: new Date(),
      ...(contentType ? { contentType } : {}),
      ...(cacheControl ? { cacheControl } : {}),
      ...(contentDisposition ? { contentDisposition } : {}),
    });
    this.written.push(key);
    return { etag };
  }

  async delete(key: string): Promise<void> {
    this.requests.delete += 1;
    await roundTrip();
    this.objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    this.requests.list += 1;
    await roundTrip();
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

/** Lets other async work interleave, as a network round trip would. */
function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
