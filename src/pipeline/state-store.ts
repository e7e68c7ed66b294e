import { readJson, type Versioned, writeCondition } from '../shared/json-document.js';
import type { ObjectStore } from '../shared/ports.js';

export type { Versioned };

/** Serialises a state document (key order is the caller's: objects are written as built). */
export function serialiseDocument(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

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

/**
 * The state documents one batch works on: each read at most once, changed in memory by every
 * event of the batch, and written once by {@link BatchDocuments.flush}. Writes are conditional on
 * what was read (`If-Match`, or `If-None-Match: *` for a new document) only as a guard against an
 * unexpected second writer: the pipeline has one consumer, so a 412 is not retried here — it
 * fails the batch, and the queue delivers the batch again.
 */
export class BatchDocuments {
  readonly #read = new Map<string, Promise<Versioned<unknown> | undefined>>();
  readonly #changed = new Map<string, unknown>();

  constructor(readonly store: ObjectStore) {}

  /** The document as the batch sees it: its own change if any, else the stored one. */
  async get<T>(key: string): Promise<T | undefined> {
    if (this.#changed.has(key)) return this.#changed.get(key) as T | undefined;
    return (await this.#stored(key))?.value as T | undefined;
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
        const stored = await this.#stored(key);
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

  #stored(key: string): Promise<Versioned<unknown> | undefined> {
    let read = this.#read.get(key);
    if (read === undefined) {
      read = readJson<unknown>(this.store, key);
      this.#read.set(key, read);
    }
    return read;
  }
}
