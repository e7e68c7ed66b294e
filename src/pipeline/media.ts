import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { headEtag } from '../adapters/head.js';
import { attachmentDisposition } from '../media/disposition.js';
import { mediaPublicPath } from '../media/paths.js';
import { publishedMedia } from '../media/published.js';
import { MEDIA_CACHE_CONTROL, type MediaFile } from '../media/resolve.js';
import type { MediaReference } from '../media/types.js';
import type { BatchDocuments } from '../shared/document-store.js';
import { documentOf } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { publicReleaseOf } from './derive.js';
import { md5Etag } from './outputs.js';
import type { RecordStep } from './record-step.js';
import type { ReleaseRecord } from './records.js';
import { releaseRecordSchema } from './records.js';
import { RELEASES_PREFIX } from './s3-event.js';
import { recordKey } from './state-keys.js';

export const MEDIA_INDEX_PREFIX = 'state/media/';

/** Which release keys reference one file beside the releases (published or not yet found). */
export interface MediaIndexDoc {
  sourcePath: string;
  /** Release object keys, sorted. */
  entries: string[];
}

/** Where the index of the file at `sourcePath` (relative to the releases root) is kept. */
export function mediaIndexKey(sourcePath: string): string {
  const digest = createHash('sha256').update(sourcePath, 'utf8').digest('hex').slice(0, 40);
  return `${MEDIA_INDEX_PREFIX}${digest}.json`;
}

/** Every file a record's accepted release references, found or not. */
export function referencedPaths(record: ReleaseRecord | undefined): string[] {
  const media: readonly MediaReference[] = record?.release?.media ?? [];
  return [...new Set(media.map((reference) => reference.sourcePath))];
}

/** The release keys that reference the file at `sourcePath`, as the batch sees the index. */
export async function referencingKeys(docs: BatchDocuments, sourcePath: string): Promise<string[]> {
  return (await docs.get(mediaIndexKey(sourcePath), mediaIndexDocSchema))?.entries ?? [];
}

/**
 * Moves each step's release key between the indexes of the files it referenced before and after
 * the step (in the batch's documents, written once by the next flush), and returns every file
 * path whose publication may have changed. Membership of the files referenced now is checked for
 * every step, not only changed ones: a batch applied again after a crash between the records and
 * the index finds its records unchanged and must still leave the index (and the copies) right.
 */
export async function indexMedia(
  docs: BatchDocuments,
  steps: readonly RecordStep[],
): Promise<Set<string>> {
  const touched = new Set<string>();
  for (const step of steps) {
    const before = new Set(referencedPaths(step.before));
    const after = new Set(referencedPaths(step.record));
    for (const path of [...before, ...after]) {
      touched.add(path);
      const keys = new Set(await referencingKeys(docs, path));
      if (after.has(path) === keys.has(step.key)) continue;
      if (after.has(path)) keys.add(step.key);
      else keys.delete(step.key);
      docs.set<MediaIndexDoc>(mediaIndexKey(path), { sourcePath: path, entries: [...keys].sort() });
    }
  }
  return touched;
}

/** What {@link syncMedia} did to the public media files. */
export interface MediaSync {
  written: string[];
  deleted: string[];
}

/**
 * Makes the public copy of each file in `paths` match the releases that reference it: published
 * (bytes as checked this batch, else as they are beside the releases) when at least one public
 * release publishes it, deleted otherwise. Reads only the records of the releases that reference
 * each file, so the cost does not depend on the archive's size.
 */
export async function syncMedia(
  bucket: ObjectStore,
  publicSite: ObjectStore,
  docs: BatchDocuments,
  paths: ReadonlySet<string>,
  checked: readonly MediaFile[],
  now: Date,
): Promise<MediaSync> {
  const result: MediaSync = { written: [], deleted: [] };
  const fresh = new Map(checked.map((file) => [file.sourcePath, file]));
  for (const sourcePath of [...paths].sort()) {
    const publicPath = mediaPublicPath(sourcePath);
    if (!(await isPublished(docs, sourcePath, now))) {
      if ((await headEtag(publicSite, publicPath)) !== undefined) {
        await publicSite.delete(publicPath);
        result.deleted.push(publicPath);
      }
      continue;
    }
    const file = fresh.get(sourcePath) ?? (await readMedia(bucket, docs, sourcePath, now));
    if (file === undefined) continue;
    if ((await headEtag(publicSite, publicPath)) === md5Etag(file.body)) continue;
    await publicSite.put(publicPath, file.body, {
      contentType: file.contentType,
      cacheControl: file.cacheControl,
      ...(file.contentDisposition ? { contentDisposition: file.contentDisposition } : {}),
    });
    result.written.push(publicPath);
  }
  return result;
}

async function publishingRelease(docs: BatchDocuments, sourcePath: string, now: Date) {
  for (const key of await referencingKeys(docs, sourcePath)) {
    const release = publicReleaseOf(await docs.get(recordKey(key), releaseRecordSchema), now);
    const media = publishedMedia(release ?? {}).find((m) => m.sourcePath === sourcePath);
    if (media !== undefined) return media;
  }
  return undefined;
}

async function isPublished(docs: BatchDocuments, sourcePath: string, now: Date): Promise<boolean> {
  return (await publishingRelease(docs, sourcePath, now)) !== undefined;
}

/** The file as checked when its release was accepted (an embargoed release coming due). */
async function readMedia(
  bucket: ObjectStore,
  docs: BatchDocuments,
  sourcePath: string,
  now: Date,
): Promise<MediaFile | undefined> {
  const media = await publishingRelease(docs, sourcePath, now);
  const stored = await bucket.get(RELEASES_PREFIX + sourcePath);
  if (media === undefined || stored === undefined) return undefined;
  const name = sourcePath.slice(sourcePath.lastIndexOf('/') + 1);
  return {
    path: media.publicPath,
    sourcePath,
    body: stored.body,
    contentType: media.file.contentType,
    cacheControl: MEDIA_CACHE_CONTROL,
    ...(media.file.kind === 'document' ? { contentDisposition: attachmentDisposition(name) } : {}),
  };
}

/** `state/media/…`: which release keys reference one file. */
export const mediaIndexDocSchema = documentOf<MediaIndexDoc>(
  v.looseObject({ sourcePath: v.string(), entries: v.array(v.string()) }),
);
