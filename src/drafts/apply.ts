import type { Logger, PipelineDeps } from '../pipeline/deps.js';
import type { PipelineEvent } from '../pipeline/events.js';
import { rejectionReport, reportKey, writeReport } from '../pipeline/reports.js';
import { parseRelease } from '../release/parse.js';
import { releasePageFile } from '../site/files.js';
import { DRAFTS_PREFIX, draftHash, isDraftKey, PREVIEW_TTL_MS, previewObjectKey } from './keys.js';

/** What happened to one draft in a batch. */
export type DraftOutcome = 'previewed' | 'rejected' | 'removed';

/**
 * Handles the draft events of a batch, apart from the public site: each draft named is read once;
 * a valid one is rendered by the site's own page renderer into `previews/<sha256>.html` in the
 * private bucket and staff get a `draft-preview` notice (the mail consumer signs the 7-day link);
 * an invalid one gets the same report and rejection notice as a release; a deleted one loses its
 * preview and report. Nothing here writes to the public bucket. See docs/pipeline.md, Drafts.
 */
export async function applyDrafts(
  deps: PipelineDeps,
  events: readonly PipelineEvent[],
  log: Logger,
): Promise<Map<string, DraftOutcome>> {
  const keys = new Set<string>();
  for (const event of events) {
    if (event.kind === 'object' && isDraftKey(event.key)) keys.add(event.key);
  }
  const outcomes = new Map<string, DraftOutcome>();
  for (const key of [...keys].sort()) {
    const outcome = await applyDraft(deps, key);
    log('draft synced', { key, change: outcome });
    outcomes.set(key, outcome);
  }
  return outcomes;
}

async function applyDraft(deps: PipelineDeps, key: string): Promise<DraftOutcome> {
  const preview = previewObjectKey(draftHash(key));
  const source = await deps.bucket.get(key);
  if (source === undefined) {
    await deps.bucket.delete(preview);
    await deps.bucket.delete(reportKey(key));
    return 'removed';
  }
  const now = deps.clock();
  const parsed = parseRelease(key.slice(DRAFTS_PREFIX.length), source.body, deps.site);
  if (!parsed.ok) {
    // Not the earlier preview either: the link in the last mail should not show stale text.
    await deps.bucket.delete(preview);
    const report = rejectionReport(key, parsed.problem, now, source.etag, false);
    await writeReport(deps.bucket, report);
    if (deps.staffEmail) {
      await deps.notifier.notify({ type: 'release-rejected', to: deps.staffEmail, report });
    }
    return 'rejected';
  }
  const page = releasePageFile(parsed.release, deps.site);
  await deps.bucket.put(preview, page.body, {
    contentType: page.contentType,
    cacheControl: 'private, no-store',
  });
  await deps.bucket.delete(reportKey(key));
  if (deps.staffEmail) {
    await deps.notifier.notify({
      type: 'draft-preview',
      to: deps.staffEmail,
      sourcePath: key,
      title: parsed.release.title,
      hash: draftHash(key),
      expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS).toISOString(),
      warnings: parsed.warnings,
    });
  }
  return 'previewed';
}
