import { signPreviewToken } from '../drafts/token.js';
import { composeMail, type Mailbox } from '../mail/compose.js';
import {
  draftMail,
  outcomeMail,
  rejectionMail,
  type StaffMail,
  type StaffMailContext,
  staffFileName,
} from '../mail/staff-mail.js';
import type {
  DraftPreviewNotice,
  PipelineNotice,
  ReleasePublishedNotice,
} from '../pipeline/notifier.js';
import { DEFAULT_NOTIFY_MAX_AGE_MS, isArchiveImport } from '../release/newness.js';
import type { Release } from '../release/types.js';
import { shortHash } from '../shared/text.js';
import type { DeliveryResult } from './deliver.js';
import { runImmediate } from './run.js';
import type { MailRunWiring } from './wiring.js';

/** What handling one pipeline notice did. */
export type NoticeOutcome =
  | { kind: 'rejection-mailed'; file: string }
  | { kind: 'release-gone'; releaseId: string }
  | { kind: 'archive-import'; releaseId: string }
  | { kind: 'staff-outcome'; file: string; mailed: boolean }
  | { kind: 'draft-preview'; file: string; url: string }
  | { kind: 'immediate'; result: DeliveryResult };

/** Where a notice's release is looked up (the pipeline's state: `PipelineReleaseSource`). */
export interface PublicationLookup {
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
  if (notice.type === 'release-rejected') {
    // The version still online, if any, gives the title staff know the file by.
    const online = await deps.wiring.releases
      .publicationAt(notice.report.file)
      .catch(() => undefined);
    const mail = rejectionMail(notice, staffContext(deps), online?.release.title);
    await sendStaffMail(notice.to, mail, notice, deps);
    return { kind: 'rejection-mailed', file: staffFileName(notice.report.file) };
  }
  if (notice.type === 'staff-outcome') {
    const file = staffFileName(notice.sourcePath);
    if (deps.wiring.staff.notify === 'problems' && notice.warnings.length === 0) {
      return { kind: 'staff-outcome', file, mailed: false };
    }
    await sendStaffMail(notice.to, outcomeMail(notice, staffContext(deps)), notice, deps);
    return { kind: 'staff-outcome', file, mailed: true };
  }
  if (notice.type === 'draft-preview') return mailDraftPreview(notice, deps);
  return mailFirstPublication(notice, deps);
}

/** The preview link, signed here (the publisher holds no secret), mailed to staff. */
async function mailDraftPreview(
  notice: DraftPreviewNotice,
  deps: NoticeDeps,
): Promise<NoticeOutcome> {
  const token = signPreviewToken(deps.wiring.previewKey, {
    hash: notice.hash,
    expiresAt: new Date(notice.expiresAt),
  });
  const url = `${deps.wiring.options.site.siteUrl}/api/preview?token=${token}`;
  await sendStaffMail(notice.to, draftMail(notice, url, staffContext(deps)), notice, deps);
  return { kind: 'draft-preview', file: notice.sourcePath, url };
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

function staffContext(deps: NoticeDeps): StaffMailContext {
  const { site, clock } = deps.wiring.options;
  return {
    lang: deps.wiring.staff.lang,
    timeZone: site.timeZone,
    siteTitle: site.title,
    notifyMaxAgeMs: maxAgeOf(deps),
    now: clock(),
  };
}

function maxAgeOf(deps: NoticeDeps): number {
  return deps.wiring.options.site.notifyMaxAgeMs ?? DEFAULT_NOTIFY_MAX_AGE_MS;
}

/**
 * One staff mail. Its Message-ID comes from the notice, so a notice delivered twice (queues deliver
 * at least once) shows as one message in mail clients that collapse equal ids.
 */
async function sendStaffMail(
  to: string,
  mail: StaffMail,
  notice: PipelineNotice,
  deps: NoticeDeps,
): Promise<void> {
  const { mailer, clock } = deps.wiring.options;
  const domain = deps.from.address.slice(deps.from.address.lastIndexOf('@') + 1);
  const { raw } = await composeMail({
    from: deps.from,
    to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: clock(),
    messageId: `staff-${shortHash(JSON.stringify(notice), 24)}@${domain}`,
  });
  await mailer.send({ raw, from: deps.from.address, to: [to] });
}
