import { attachmentDisposition } from '../media/disposition.js';
import { fileNameOf } from '../media/paths.js';
import type { MediaFile, MediaLookup } from '../media/resolve.js';
import { objectStoreMediaLookup } from '../media/store-lookup.js';
import type { MediaReference } from '../media/types.js';
import { RELEASES_PREFIX } from '../pipeline/s3-event.js';
import type { ObjectStore } from '../shared/ports.js';
import { DRAFTS_PREFIX, previewMediaPrefix } from './keys.js';
import type { PreviewMedia } from './record.js';

/**
 * Finds a draft's media as the publisher will once the draft is moved: a file uploaded beside the
 * draft under `drafts/` first, else the file already under `releases/` (a logo every release uses).
 */
export function draftMediaLookup(bucket: ObjectStore): MediaLookup {
  const drafts = objectStoreMediaLookup(bucket, DRAFTS_PREFIX);
  const released = objectStoreMediaLookup(bucket, RELEASES_PREFIX);
  return async (sourcePath) => (await drafts(sourcePath)) ?? released(sourcePath);
}

/**
 * Writes the checked media of a draft into its private folder `previews/<hash>/<path>` (served
 * only through the preview link, with the type found in the bytes and `attachment` for
 * documents, as public media are), removes copies the draft no longer shows, and returns what
 * the preview record lists.
 */
export async function copyPreviewMedia(
  bucket: ObjectStore,
  hash: string,
  files: readonly MediaFile[],
  references: readonly MediaReference[],
): Promise<PreviewMedia[]> {
  const prefix = previewMediaPrefix(hash);
  const kept = new Set<string>();
  for (const file of files) {
    await bucket.put(prefix + file.sourcePath, file.body, {
      contentType: file.contentType,
      cacheControl: 'private, no-store',
      ...(file.contentDisposition === undefined
        ? {}
        : { contentDisposition: file.contentDisposition }),
    });
    kept.add(prefix + file.sourcePath);
  }
  await removePreviewMedia(bucket, hash, kept);
  return references.flatMap((reference) =>
    reference.file === undefined
      ? []
      : [
          {
            path: reference.sourcePath,
            url: reference.url,
            contentType: reference.file.contentType,
            kind: reference.file.kind,
          },
        ],
  );
}

/** Removes the private media copies of a draft's preview, except the keys in `keep`. */
export async function removePreviewMedia(
  bucket: ObjectStore,
  hash: string,
  keep: ReadonlySet<string> = new Set(),
): Promise<void> {
  const stale: string[] = [];
  for await (const { key } of bucket.list(previewMediaPrefix(hash))) {
    if (!keep.has(key)) stale.push(key);
  }
  for (const key of stale) await bucket.delete(key);
}

/** `Content-Disposition` of a preview's media file: as the public copy will have it. */
export function previewDisposition(media: PreviewMedia): string | undefined {
  return media.kind === 'document' ? attachmentDisposition(fileNameOf(media.path)) : undefined;
}
