import {
  DEFAULT_RETRY,
  type RetryPolicy,
  readJson,
  retryOnConflict,
  writeCondition,
} from '../shared/json-document.js';
import type { ObjectStore } from '../shared/ports.js';

/** What an update function decides: write `value`, delete the object, or leave it as it is. */
export type Change<T> = { write: T } | { delete: true } | { keep: true };

/**
 * Read-modify-write of one subscribers object with optimistic concurrency (see
 * {@link retryOnConflict}): the write is conditional on the ETag that was read (or on absence).
 * `change` must be pure: it may run several times.
 *
 * @returns the result `change` computed on the state that was finally written.
 * @throws {ConcurrentUpdateError} after `policy.maxAttempts` lost races.
 * @throws {CorruptDocumentError} when the stored object is not one `parse` accepts.
 */
export function updateJson<T, R>(
  store: ObjectStore,
  key: string,
  parse: (value: unknown) => T | undefined,
  change: (current: T | undefined) => { change: Change<T>; result: R },
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<R> {
  return retryOnConflict(
    key,
    async () => {
      const current = await readJson(store, key, parse);
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
