import type { StaffMailSettings } from '../config/digest.js';
import { signPreviewToken } from '../drafts/token.js';
import type {
  DraftPreviewNotice,
  PipelineNotice,
  ReleasePublishedNotice,
} from '../pipeline/notifier.js';
import { DEFAULT_NOTIFY_MAX_AGE_MS } from '../release/newness.js';
import type { Clock, Mailer } from '../shared/ports.js';
import { shortHash } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import { composeMail, type Mailbox } from './compose.js';
import {
  draftMail,
  outcomeMail,
  rejectionMail,
  type StaffMail,
  type StaffMailContext,
  staffFileName,
} from './staff-mail.js';

/** A pipeline notice meant for staff rather than residents. */
export type StaffNotice = Exclude<PipelineNotice, ReleasePublishedNotice>;

/** What mailing one staff notice did. */
export type StaffNoticeOutcome =
  | { kind: 'rejection-mailed'; file: string }
  | { kind: 'staff-outcome'; file: string; mailed: boolean }
  | { kind: 'draft-preview'; file: string; url: string };

/** What {@link mailStaffNotice} needs. */
export interface StaffNoticeDeps {
  site: SiteConfig;
  clock: Clock;
  mailer: Mailer;
  staff: StaffMailSettings;
  /** Signs draft preview links (`TOKEN_SECRET`-derived; the publisher holds no secret). */
  previewKey: Uint8Array;
  from: Mailbox;
  /** The title of the version of `key` still online, if any. */
  titleOnline(key: string): Promise<string | undefined>;
}

/** Whether `notice` is for staff (a rejection, an upload's outcome, a draft preview). */
export function isStaffNotice(notice: PipelineNotice): notice is StaffNotice {
  return notice.type !== 'release-published';
}

/**
 * Mails staff, in `STAFF_LANG`, about a rejected upload, an accepted one (unless
 * `STAFF_NOTIFY=problems` and all went well) or a draft's private preview.
 */
export async function mailStaffNotice(
  notice: StaffNotice,
  deps: StaffNoticeDeps,
): Promise<StaffNoticeOutcome> {
  if (notice.type === 'release-rejected') {
    const title = await deps.titleOnline(notice.report.file);
    const mail = rejectionMail(notice, staffContext(deps), title);
    await sendStaffMail(notice.to, mail, notice, deps);
    return { kind: 'rejection-mailed', file: staffFileName(notice.report.file) };
  }
  if (notice.type === 'staff-outcome') {
    const file = staffFileName(notice.sourcePath);
    if (deps.staff.notify === 'problems' && notice.warnings.length === 0) {
      return { kind: 'staff-outcome', file, mailed: false };
    }
    await sendStaffMail(notice.to, outcomeMail(notice, staffContext(deps)), notice, deps);
    return { kind: 'staff-outcome', file, mailed: true };
  }
  return mailDraftPreview(notice, deps);
}

/** The preview link, signed here (the publisher holds no secret), mailed to staff. */
async function mailDraftPreview(
  notice: DraftPreviewNotice,
  deps: StaffNoticeDeps,
): Promise<StaffNoticeOutcome> {
  const token = signPreviewToken(deps.previewKey, {
    hash: notice.hash,
    expiresAt: new Date(notice.expiresAt),
  });
  const url = `${deps.site.siteUrl}/api/preview?token=${token}`;
  await sendStaffMail(notice.to, draftMail(notice, url, staffContext(deps)), notice, deps);
  return { kind: 'draft-preview', file: notice.sourcePath, url };
}

function staffContext(deps: StaffNoticeDeps): StaffMailContext {
  const { site, clock } = deps;
  return {
    lang: deps.staff.lang,
    timeZone: site.timeZone,
    siteTitle: site.title,
    notifyMaxAgeMs: site.notifyMaxAgeMs ?? DEFAULT_NOTIFY_MAX_AGE_MS,
    now: clock(),
  };
}

/**
 * One staff mail. Its Message-ID comes from the notice, so a notice delivered twice (queues deliver
 * at least once) shows as one message in mail clients that collapse equal ids.
 */
async function sendStaffMail(
  to: string,
  mail: StaffMail,
  notice: PipelineNotice,
  deps: StaffNoticeDeps,
): Promise<void> {
  const { mailer, clock } = deps;
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
