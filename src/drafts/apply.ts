import type { Logger, PipelineDeps } from '../pipeline/deps.js';
import type { PipelineEvent } from '../pipeline/events.js';
import { rejectionReport, reportKey, writeReport } from '../pipeline/reports.js';
import { attachMedia } from '../release/attach-media.js';
import { parseRelease } from '../release/parse.js';
import { isHiddenName } from '../release/source-files.js';
import type { ObjectStore } from '../shared/ports.js';
import { releasePageFile } from '../site/files.js';
import {
  DRAFTS_PREFIX,
  draftHash,
  isDraftKey,
  PREVIEW_TTL_MS,
  PREVIEWS_PREFIX,
  previewObjectKey,
  previewRecordKey,
} from './keys.js';
import { copyPreviewMedia, draftMediaLookup, removePreviewMedia } from './media.js';
import { readPreviewRecord, writePreviewRecord } from './record.js';

/** What happened to one draft in a batch. */
export type DraftOutcome = 'previewed' | 'rejected' | 'removed';

/** Whether staff are mailed about a draft rendered again. */
export interface DraftApplyOptions {
  /** Mail staff the preview link or the rejection (an upload); not for a refresh of its media. */
  notify: boolean;
}

/**
 * Handles the draft events of a batch, apart from the public site: each draft named is read once;
 * a valid one is rendered by the site's own page renderer into `previews/<sha256>.html` in the
 * private bucket, with private checked copies of its media, and staff get a `draft-preview` notice
 * (the mail consumer signs the 7-day link); an invalid one gets the same report and rejection
 * notice as a release; a deleted one loses its preview and report. A picture or attachment
 * uploaded under `drafts/` renders again, without a mail, the drafts that reference it. Nothing
 * here writes to the public bucket. See docs/pipeline.md, Drafts.
 */
export async function applyDrafts(
  deps: PipelineDeps,
  events: readonly PipelineEvent[],
  log: Logger,
): Promise<Map<string, DraftOutcome>> {
  const keys = new Set<string>();
  const mediaPaths = new Set<string>();
  for (const event of events) {
    if (event.kind !== 'object' || !event.key.startsWith(DRAFTS_PREFIX)) continue;
    if (isDraftKey(event.key)) keys.add(event.key);
    else if (!event.key.split('/').some(isHiddenName)) {
      mediaPaths.add(event.key.slice(DRAFTS_PREFIX.length));
    }
  }
  const outcomes = new Map<string, DraftOutcome>();
  for (const key of [...keys].sort()) {
    const outcome = await applyDraft(deps, key, { notify: true });
    log('draft synced', { key, change: outcome });
    outcomes.set(key, outcome);
  }
  for (const key of await draftsReferencing(deps.bucket, mediaPaths)) {
    if (keys.has(key)) continue;
    const outcome = await applyDraft(deps, key, { notify: false });
    log('draft media synced', { key, change: outcome });
    outcomes.set(key, outcome);
  }
  return outcomes;
}

/**
 * Renders one draft (by its key) into its private preview, or removes the preview when the draft
 * is gone; the preview record written last says which version the preview shows.
 */
export async function applyDraft(
  deps: PipelineDeps,
  key: string,
  options: DraftApplyOptions,
): Promise<DraftOutcome> {
  const hash = draftHash(key);
  const source = await deps.bucket.get(key);
  if (source === undefined) {
    await removePreview(deps.bucket, hash);
    await deps.bucket.delete(reportKey(key));
    return 'removed';
  }
  const now = deps.clock();
  const parsed = parseRelease(key.slice(DRAFTS_PREFIX.length), source.body, deps.site);
  if (!parsed.ok) {
    // Not the earlier preview either: the link in the last mail should not show stale text.
    await removePreview(deps.bucket, hash);
    const report = rejectionReport(key, parsed.problem, now, source.etag, false);
    await writeReport(deps.bucket, report);
    const record = {
      draft: key,
      sourceEtag: source.etag,
      rejected: true,
      media: [],
      references: [],
    };
    await writePreviewRecord(deps.bucket, hash, record);
    if (deps.staffEmail && options.notify) {
      await deps.notifier.notify({ type: 'release-rejected', to: deps.staffEmail, report });
    }
    return 'rejected';
  }
  const attached = await attachMedia(parsed.release, draftMediaLookup(deps.bucket));
  const references = attached.release.media ?? [];
  const media = await copyPreviewMedia(deps.bucket, hash, attached.files, references);
  const page = releasePageFile(attached.release, deps.site);
  await deps.bucket.put(previewObjectKey(hash), page.body, {
    contentType: page.contentType,
    cacheControl: 'private, no-store',
  });
  await deps.bucket.delete(reportKey(key));
  await writePreviewRecord(deps.bucket, hash, {
    draft: key,
    sourceEtag: source.etag,
    rejected: false,
    media,
    references: references.map((reference) => reference.sourcePath),
  });
  if (deps.staffEmail && options.notify) {
    await deps.notifier.notify({
      type: 'draft-preview',
      to: deps.staffEmail,
      sourcePath: key,
      title: attached.release.title,
      hash,
      expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS).toISOString(),
      warnings: [...parsed.warnings, ...attached.warnings],
    });
  }
  return 'previewed';
}

/** Removes a draft's preview page, its media copies and its record. */
export async function removePreview(bucket: ObjectStore, hash: string): Promise<void> {
  await bucket.delete(previewObjectKey(hash));
  await removePreviewMedia(bucket, hash);
  await bucket.delete(previewRecordKey(hash));
}

/** The drafts whose preview records reference any of `paths` (files beside the releases). */
async function draftsReferencing(
  bucket: ObjectStore,
  paths: ReadonlySet<string>,
): Promise<string[]> {
  if (paths.size === 0) return [];
  const drafts: string[] = [];
  for (const hash of await previewHashes(bucket)) {
    const record = await readPreviewRecord(bucket, hash);
    if (record?.references.some((path) => paths.has(path))) drafts.push(record.draft);
  }
  return drafts.sort();
}

/** The hashes of every stored preview record, page or media copy under `previews/`. */
export async function previewHashes(bucket: ObjectStore): Promise<Set<string>> {
  const hashes = new Set<string>();
  for await (const { key } of bucket.list(PREVIEWS_PREFIX)) {
    const hash = /^([0-9a-f]{64})(?:\.html|\.json|\/)/.exec(key.slice(PREVIEWS_PREFIX.length));
    if (hash?.[1] !== undefined) hashes.add(hash[1]);
  }
  return hashes;
}
