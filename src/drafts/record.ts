import { CorruptDocumentError, readJson } from '../shared/json-document.js';
import type { ObjectStore } from '../shared/ports.js';
import { previewRecordKey } from './keys.js';

/** A media file a preview shows: a checked private copy under `previews/<hash>/<path>`. */
export interface PreviewMedia {
  /** Path relative to the releases root, as in the public `media/<path>`. */
  path: string;
  /** The public URL the rendered page uses for it. */
  url: string;
  /** Decided from the bytes when the copy was made. */
  contentType: string;
  kind: 'image' | 'document';
}

/** What a draft's preview was rendered from, kept beside it (`previews/<hash>.json`). */
export interface PreviewRecord {
  /** The draft's key, `drafts/…`. */
  draft: string;
  /** ETag of the version rendered (or rejected). */
  sourceEtag: string;
  /** Whether that version was rejected (no page; staff got the rejection mail). */
  rejected: boolean;
  /** The media the page shows. */
  media: PreviewMedia[];
  /** Every file the draft references (shown or not): a new upload of one renders the draft again. */
  references: string[];
}

/**
 * The preview record of a draft hash; `undefined` when there is none or it is not one this code
 * wrote (an older preview without a record is rendered again by reconcile).
 */
export async function readPreviewRecord(
  store: ObjectStore,
  hash: string,
): Promise<PreviewRecord | undefined> {
  try {
    return (await readJson(store, previewRecordKey(hash), parsePreviewRecord))?.value;
  } catch (error) {
    if (error instanceof CorruptDocumentError) return undefined;
    throw error;
  }
}

/** Writes the preview record of a draft hash. */
export async function writePreviewRecord(
  store: ObjectStore,
  hash: string,
  record: PreviewRecord,
): Promise<void> {
  await store.put(previewRecordKey(hash), JSON.stringify(record), {
    contentType: 'application/json',
    cacheControl: 'private, no-store',
  });
}

function parsePreviewRecord(value: unknown): PreviewRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<PreviewRecord>;
  if (typeof record.draft !== 'string' || typeof record.sourceEtag !== 'string') return undefined;
  if (typeof record.rejected !== 'boolean') return undefined;
  if (!Array.isArray(record.media) || !record.media.every(isPreviewMedia)) return undefined;
  if (!Array.isArray(record.references)) return undefined;
  if (!record.references.every((path) => typeof path === 'string')) return undefined;
  return record as PreviewRecord;
}

function isPreviewMedia(value: unknown): value is PreviewMedia {
  if (typeof value !== 'object' || value === null) return false;
  const media = value as Partial<PreviewMedia>;
  return (
    typeof media.path === 'string' &&
    typeof media.url === 'string' &&
    typeof media.contentType === 'string' &&
    (media.kind === 'image' || media.kind === 'document')
  );
}
