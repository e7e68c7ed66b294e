import { isArchiveImport } from '../release/newness.js';
import type { BatchDocuments } from '../shared/document-store.js';
import type { PipelineDeps } from './deps.js';
import { publicReleaseOf } from './derive.js';
import type { PipelineNotice } from './notifier.js';
import type { RecordStep } from './record-step.js';
import type { ReleaseRecord } from './records.js';
import { releaseSlug } from './slugs.js';
import { recordKey } from './state-keys.js';

/**
 * Housekeeping once the public side is right, for one key: give up a deleted release's slug, send
 * what the record still owes (the first publication's `release-published`, unless it is an archive
 * import; the staff outcome of the last accepted upload), and forget placements that are now
 * clean. Notices go out before the record saying so is written: delivery is at least once.
 */
export async function finishKey(
  deps: PipelineDeps,
  docs: BatchDocuments,
  step: RecordStep,
  now: Date,
): Promise<void> {
  const record = step.record;
  if (record === undefined) return;
  const next: ReleaseRecord = { ...record, lingering: [] };
  delete next.pendingOutcome;
  if (!record.release && record.slug) {
    await releaseSlug(deps.bucket, step.key, record.slug);
    delete next.slug;
  }
  const notices = owedNotices(deps, record, now);
  for (const notice of notices) await deps.notifier.notify(notice);
  if (publicReleaseOf(record, now) && !record.announced) next.announced = true;
  docs.set(recordKey(step.key), next);
}

function owedNotices(deps: PipelineDeps, record: ReleaseRecord, now: Date): PipelineNotice[] {
  const notices: PipelineNotice[] = [];
  const release = publicReleaseOf(record, now);
  if (release && !record.announced) {
    const firstPublishedAt = new Date(release.firstPublishedAt ?? now.toISOString());
    const published = new Date(release.published);
    if (!isArchiveImport({ published }, firstPublishedAt, deps.site.notifyMaxAgeMs)) {
      notices.push({
        type: 'release-published',
        releaseId: release.id,
        key: record.key,
        sourcePath: release.sourcePath,
        url: release.url,
        published: release.published,
      });
    }
  }
  if (record.pendingOutcome && deps.staffEmail) {
    notices.push({ type: 'staff-outcome', to: deps.staffEmail, ...record.pendingOutcome });
  }
  return notices;
}
