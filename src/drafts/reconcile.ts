import * as v from 'valibot';
import type { PipelineDeps } from '../pipeline/deps.js';
import { REPORTS_PREFIX, reportKey } from '../pipeline/reports.js';
import { CorruptDocumentError, readDocument } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { applyDraft, previewHashes, removePreview } from './apply.js';
import { DRAFTS_PREFIX, draftHash, isDraftKey, previewObjectKey } from './keys.js';
import { readPreviewRecord } from './record.js';

/** What reconciling the drafts found and did. */
export interface DraftsReconcileReport {
  drafts: number;
  /** Drafts rendered again, with the reason; `notified` when staff got the mail they had missed. */
  rendered: { key: string; reason: string; notified: boolean }[];
  /** Hashes of previews (page, record, media copies) whose draft is gone, removed. */
  removedPreviews: string[];
  /** Reports on rejected drafts that are gone or no longer rejected, removed. */
  staleReports: string[];
}

/** Where a rejected draft's report lives: `reports/drafts/…`. */
export const DRAFT_REPORTS_PREFIX = `${REPORTS_PREFIX}${DRAFTS_PREFIX}`;

/**
 * Brings the private previews in line with `drafts/`, for draft events that were lost: a draft
 * whose preview record names another version (or none) is rendered again and staff get the mail
 * they never got for that version (a preview from before records existed is rendered again
 * silently: staff had its mail); previews and reports whose draft is gone are removed. A draft
 * already previewed or rejected in its current version is not touched and nobody is mailed again.
 */
export async function reconcileDrafts(deps: PipelineDeps): Promise<DraftsReconcileReport> {
  const drafts = new Map<string, string>();
  for await (const { key, etag } of deps.bucket.list(DRAFTS_PREFIX)) {
    if (isDraftKey(key)) drafts.set(key, etag);
  }
  const hashes = await previewHashes(deps.bucket);
  const report: DraftsReconcileReport = {
    drafts: drafts.size,
    rendered: [],
    removedPreviews: [],
    staleReports: [],
  };
  for (const [key, etag] of drafts) {
    const drift = await draftDrift(deps.bucket, key, etag, hashes.has(draftHash(key)));
    if (drift === undefined) continue;
    await applyDraft(deps, key, { notify: drift.notify });
    report.rendered.push({ key, reason: drift.reason, notified: drift.notify });
  }
  const owned = new Set([...drafts.keys()].map(draftHash));
  for (const hash of hashes) {
    if (owned.has(hash)) continue;
    await removePreview(deps.bucket, hash);
    report.removedPreviews.push(hash);
  }
  report.staleReports = await removeStaleDraftReports(deps.bucket, drafts);
  return report;
}

/** Why a draft's preview is not what its current version should show; `undefined` when it is. */
async function draftDrift(
  bucket: ObjectStore,
  key: string,
  etag: string,
  hasPreviewFiles: boolean,
): Promise<{ reason: string; notify: boolean } | undefined> {
  const hash = draftHash(key);
  const record = hasPreviewFiles ? await readPreviewRecord(bucket, hash) : undefined;
  if (record === undefined) {
    // Previews and rejections from before records existed: staff had their mail.
    const page = hasPreviewFiles && (await bucket.get(previewObjectKey(hash))) !== undefined;
    if (page || (await reportedEtag(bucket, key)) === etag) {
      return { reason: 'preview record missing', notify: false };
    }
    return { reason: 'no preview', notify: true };
  }
  if (record.sourceEtag !== etag) return { reason: 'draft changed without an event', notify: true };
  if (record.rejected) {
    const reported = (await reportedEtag(bucket, key)) === etag;
    return reported ? undefined : { reason: 'rejection report missing', notify: false };
  }
  if ((await bucket.get(previewObjectKey(hash))) === undefined) {
    return { reason: 'preview page missing', notify: false };
  }
  return undefined;
}

/** A rejection report as far as reconcile reads it: the version it is about, if it says. */
const reportSchema = v.looseObject({ sourceEtag: v.optional(v.unknown()) });

/** The version of `draftKey` its rejection report is about, if there is a report. */
async function reportedEtag(bucket: ObjectStore, draftKey: string): Promise<string | undefined> {
  const report = await readDocument(bucket, reportKey(draftKey), reportSchema).catch(
    (error: unknown) => {
      if (error instanceof CorruptDocumentError) return undefined;
      throw error;
    },
  );
  const etag = report?.value.sourceEtag;
  return typeof etag === 'string' ? etag : undefined;
}

/** Reports on drafts that are gone or whose current version is not rejected. */
async function removeStaleDraftReports(
  bucket: ObjectStore,
  drafts: ReadonlyMap<string, string>,
): Promise<string[]> {
  const stale: string[] = [];
  for await (const { key } of bucket.list(DRAFT_REPORTS_PREFIX)) {
    const draft = key.slice(REPORTS_PREFIX.length, -'.json'.length);
    const etag = drafts.get(draft);
    const record =
      etag === undefined ? undefined : await readPreviewRecord(bucket, draftHash(draft));
    if (record?.rejected && record.sourceEtag === etag && key === reportKey(draft)) continue;
    stale.push(key);
  }
  for (const key of stale) await bucket.delete(key);
  return stale;
}
