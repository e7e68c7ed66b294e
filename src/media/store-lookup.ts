import type { ObjectStore } from '../shared/ports.js';
import type { MediaLookup } from './resolve.js';

/**
 * Finds media files in an object store under `prefix` (the private bucket's `releases/`): the
 * size from the listing, the bytes only when the file is within the limit. One list request and,
 * for a file worth checking, one get.
 */
export function objectStoreMediaLookup(store: ObjectStore, prefix: string): MediaLookup {
  return async (sourcePath) => {
    const key = prefix + sourcePath;
    // Keys come in order: the exact key, if there is one, comes before any longer key it starts.
    for await (const summary of store.list(key)) {
      if (summary.key !== key) return undefined;
      return { size: summary.size, read: async () => (await store.get(key))?.body };
    }
    return undefined;
  };
}
