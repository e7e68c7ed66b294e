import * as v from 'valibot';
import {
  CorruptDocumentError,
  type DocumentSchema,
  readDocument,
} from '../shared/document-store.js';
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
    return (await readDocument(store, previewRecordKey(hash), previewRecordSchema))?.value;
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

const previewRecordSchema: DocumentSchema<PreviewRecord> = v.looseObject({
  draft: v.string(),
  sourceEtag: v.string(),
  rejected: v.boolean(),
  media: v.array(
    v.looseObject({
      path: v.string(),
      url: v.string(),
      contentType: v.string(),
      kind: v.picklist(['image', 'document']),
    }),
  ),
  references: v.array(v.string()),
});
