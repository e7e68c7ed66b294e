import type { Mailbox } from '../mail/compose.js';
import type { PipelineNotice } from '../pipeline/notifier.js';
import type { DeliveryResult } from './deliver.js';
import { mailRejectionReport } from './rejection-mail.js';
import { runImmediate } from './run.js';
import type { MailRunWiring } from './wiring.js';

/** What handling one pipeline notice did. */
export type NoticeOutcome =
  | { kind: 'rejection-mailed'; file: string }
  | { kind: 'release-gone'; releaseId: string }
  | { kind: 'staff-outcome'; file: string }
  | { kind: 'immediate'; result: DeliveryResult };

/**
 * Handles one notice from the publishing pipeline, wherever it arrives (the SQS-triggered
 * send-immediate function, or the local stack in-process): a first publication is mailed to its
 * immediate subscribers (once per release: the run id comes from the release id), a rejected upload
 * is mailed to staff. The caller decides what to do with a run that had to stop (continuation).
 */
export async function handleNotice(
  notice: PipelineNotice,
  deps: { wiring: MailRunWiring; from: Mailbox; remainingMs?: () => number },
): Promise<NoticeOutcome> {
  if (notice.type === 'release-rejected') {
    await mailRejectionReport(notice, { ...deps.wiring.options, from: deps.from });
    return { kind: 'rejection-mailed', file: notice.report.file };
  }
  if (notice.type === 'staff-outcome') {
    // Confirmation mails to staff are rendered in issue 12's staff-mail module.
    return { kind: 'staff-outcome', file: notice.sourcePath };
  }
  const release = await deps.wiring.releases.releaseAt(notice.key);
  if (release === undefined || release.id !== notice.releaseId) {
    // Deleted or replaced since the notice was sent: there is nothing to announce.
    return { kind: 'release-gone', releaseId: notice.releaseId };
  }
  const options = deps.remainingMs
    ? { ...deps.wiring.options, remainingMs: deps.remainingMs }
    : deps.wiring.options;
  return { kind: 'immediate', result: await runImmediate(release, options) };
}
