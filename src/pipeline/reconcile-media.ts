import { attachmentDisposition } from '../media/disposition.js';
import { fileNameOf, MEDIA_FOLDER } from '../media/paths.js';
import { type PublishedMedia, publishedMedia } from '../media/published.js';
import { MEDIA_CACHE_CONTROL } from '../media/resolve.js';
import type { Versioned } from '../shared/document-store.js';
import { readDocument, serialiseDocument } from '../shared/document-store.js';
import type { ObjectStore, ObjectSummary } from '../shared/ports.js';
import { isPublicAt } from './embargo.js';
import {
  MEDIA_INDEX_PREFIX,
  type MediaIndexDoc,
  mediaIndexDocSchema,
  mediaIndexKey,
  referencedPaths,
} from './media.js';
import type { ReleaseRecord } from './records.js';
import { RELEASES_PREFIX } from './s3-event.js';

type Records = ReadonlyMap<string, Versioned<ReleaseRecord>>;

/**
 * Rewrites the media index (`state/media/`) where it differs from what the records reference, and
 * removes index documents nobody needs: the index is derived state, the records its authority.
 * Returns the index keys written or removed.
 */
export async function repairMediaIndex(bucket: ObjectStore, records: Records): Promise<string[]> {
  const expected = new Map<string, MediaIndexDoc>();
  for (const { value } of records.values()) {
    for (const sourcePath of referencedPaths(value)) {
      const key = mediaIndexKey(sourcePath);
      const doc = expected.get(key) ?? { sourcePath, entries: [] };
      doc.entries.push(value.key);
      expected.set(key, doc);
    }
  }
  const repaired: string[] = [];
  for await (const { key } of bucket.list(MEDIA_INDEX_PREFIX)) {
    if (expected.has(key)) continue;
    await bucket.delete(key);
    repaired.push(key);
  }
  for (const [key, doc] of expected) {
    doc.entries.sort();
    const stored = await readDocument(bucket, key, mediaIndexDocSchema);
    if (stored && JSON.stringify(stored.value) === JSON.stringify(doc)) continue;
    await bucket.put(key, serialiseDocument(doc), { contentType: 'application/json' });
    repaired.push(key);
  }
  return repaired.sort();
}

/**
 * Media files beside the releases whose record disagrees with the listing (`media`: key →
 * summary, from the nightly listing of `releases/`): published but gone, present but not
 * published (missing when attached, or refused: checked again, cheaply), or another size.
 * Their keys, as object events, make the batch attach the referencing releases again.
 */
export function findMediaDrift(
  records: Records,
  media: ReadonlyMap<string, ObjectSummary>,
): string[] {
  const drift = new Set<string>();
  for (const { value } of records.values()) {
    for (const reference of value.release?.media ?? []) {
      const key = RELEASES_PREFIX + reference.sourcePath;
      const listed = media.get(key);
      if (
        reference.file === undefined ? listed !== undefined : listed?.size !== reference.file.length
      ) {
        drift.add(key);
      }
    }
  }
  return [...drift].sort();
}

/**
 * Makes `media/` in the public bucket hold exactly the files public releases publish, each equal
 * to its source (ETags compared, so nothing unchanged is copied): copies what is missing or
 * differs, deletes what no public release publishes.
 */
export async function repairPublicMedia(
  bucket: ObjectStore,
  publicSite: ObjectStore,
  records: Records,
  sources: ReadonlyMap<string, ObjectSummary>,
  now: Date,
): Promise<{ written: string[]; deleted: string[] }> {
  const wanted = new Map<string, PublishedMedia>();
  for (const { value } of records.values()) {
    if (!value.release || !isPublicAt(value.release, now)) continue;
    for (const media of publishedMedia(value.release)) wanted.set(media.publicPath, media);
  }
  const current = new Map<string, string>();
  for await (const summary of publicSite.list(MEDIA_FOLDER)) current.set(summary.key, summary.etag);
  const written: string[] = [];
  const deleted: string[] = [];
  for (const [path, media] of wanted) {
    const source = sources.get(RELEASES_PREFIX + media.sourcePath);
    if (source === undefined || current.get(path) === source.etag) continue;
    const object = await bucket.get(RELEASES_PREFIX + media.sourcePath);
    if (object === undefined) continue;
    await publicSite.put(path, object.body, {
      contentType: media.file.contentType,
      cacheControl: MEDIA_CACHE_CONTROL,
      ...(media.file.kind === 'document'
        ? { contentDisposition: attachmentDisposition(fileNameOf(media.sourcePath)) }
        : {}),
    });
    written.push(path);
  }
  for (const path of current.keys()) {
    if (wanted.has(path)) continue;
    await publicSite.delete(path);
    deleted.push(path);
  }
  return { written: written.sort(), deleted: deleted.sort() };
}
