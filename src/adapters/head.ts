import type { ObjectStore } from '../shared/ports.js';

/** A store that can tell an object's ETag without sending its body (S3 HeadObject). */
export interface HeadCapable {
  head(key: string): Promise<{ etag: string } | undefined>;
}

/** Whether `store` offers {@link HeadCapable.head}. */
function canHead(store: ObjectStore): store is ObjectStore & HeadCapable {
  return typeof (store as Partial<HeadCapable>).head === 'function';
}

/**
 * The current ETag of the object at `key` (`undefined`: none) without downloading it: a HEAD where
 * the adapter offers one (GET-priced on S3), else a listing of the key as prefix (the port's only
 * body-less read).
 */
export async function headEtag(store: ObjectStore, key: string): Promise<string | undefined> {
  if (canHead(store)) return (await store.head(key))?.etag;
  for await (const summary of store.list(key)) {
    if (summary.key === key) return summary.etag;
    if (summary.key > key) break;
  }
  return undefined;
}
