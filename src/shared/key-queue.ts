/**
 * Runs work for one key at a time, in the order it was asked for; different keys run freely.
 * In-process only: it orders the read-check-write steps of conditional writes within one store.
 */
export class KeyQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier piece of work for `key` has settled, failed ones included. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.#tails.set(key, next);
    try {
      return await next;
    } finally {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    }
  }
}
