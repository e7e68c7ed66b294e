import type { Mailbox } from '../mail/compose.js';
import { isStaffNotice, mailStaffNotice, type StaffNoticeOutcome } from '../mail/staff-notices.js';
import type { PipelineNotice, ReleasePublishedNotice } from '../pipeline/notifier.js';
import { DEFAULT_NOTIFY_MAX_AGE_MS, isArchiveImport } from '../release/newness.js';
import type { Release } from '../release/types.js';
import type { DeliveryResult } from './deliver.js';
import { runImmediate } from './run.js';
import type { MailRunWiring } from './wiring.js';

/** What handling one pipeline notice did. */
export type NoticeOutcome =
  | StaffNoticeOutcome
  | { kind: 'release-gone'; releaseId: string }
  | { kind: 'archive-import'; releaseId: string }
  | { kind: 'immediate'; result: DeliveryResult };

/** Where a notice's release is looked up (the pipeline's state: `PipelineReleaseSource`). */
interface PublicationLookup {
  publicationAt(key: string): Promise<{ release: Release; firstPublishedAt?: Date } | undefined>;
}

/** What {@link handleNotice} needs: the mail wiring (built once per process) and the sender. */
export interface NoticeDeps {
  wiring: Pick<MailRunWiring, 'options' | 'staff' | 'previewKey'> & {
    releases: PublicationLookup;
  };
  from: Mailbox;
  remainingMs?: () => number;
}

/**
 * Handles one notice from the publishing pipeline, wherever it arrives (the SQS-triggered
 * send-immediate function, or the local stack in-process): a first publication is mailed to its
 * immediate subscribers (once per release: the run id comes from the release id) unless it is an
 * archive import; a rejected upload and, unless `STAFF_NOTIFY=problems` and all went well, an
 * accepted one are mailed to staff in `STAFF_LANG`. The caller decides what to do with a run that
 * had to stop (continuation).
 */
export async function handleNotice(
  notice: PipelineNotice,
  deps: NoticeDeps,
): Promise<NoticeOutcome> {
  if (!isStaffNotice(notice)) return mailFirstPublication(notice, deps);
  const { options, staff, previewKey, releases } = deps.wiring;
  return mailStaffNotice(notice, {
    site: options.site,
    clock: options.clock,
    mailer: options.mailer,
    staff,
    previewKey,
    from: deps.from,
    // The version still online, if any, gives the title staff know the file by.
    titleOnline: async (key) =>
      (await releases.publicationAt(key).catch(() => undefined))?.release.title,
  });
}

async function mailFirstPublication(
  notice: ReleasePublishedNotice,
  deps: NoticeDeps,
): Promise<NoticeOutcome> {
  const { options } = deps.wiring;
  const found = await deps.wiring.releases.publicationAt(notice.key);
  if (found === undefined || found.release.id !== notice.releaseId) {
    // Deleted or replaced since the notice was sent: there is nothing to announce.
    return { kind: 'release-gone', releaseId: notice.releaseId };
  }
  // Never mail residents about an archive import, even if a notice about one arrives.
  const firstPublishedAt = found.firstPublishedAt ?? options.clock();
  if (isArchiveImport(found.release, firstPublishedAt, maxAgeOf(deps))) {
    return { kind: 'archive-import', releaseId: notice.releaseId };
  }
  const runOptions = deps.remainingMs ? { ...options, remainingMs: deps.remainingMs } : options;
  return { kind: 'immediate', result: await runImmediate(found.release, runOptions) };
}

function maxAgeOf(deps: NoticeDeps): number {
  return deps.wiring.options.site.notifyMaxAgeMs ?? DEFAULT_NOTIFY_MAX_AGE_MS;
}
