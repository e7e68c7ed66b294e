import { composeMail, type Mailbox } from '../mail/compose.js';
import type { ReleaseRejectedNotice } from '../pipeline/notifier.js';
import { reportKey, reportSummary } from '../pipeline/reports.js';
import type { Clock, Mailer } from '../shared/ports.js';
import { escapeHtml } from '../shared/text.js';

/**
 * Mails staff the pipeline's report on a rejected upload (the notice arrives on the same queue as
 * first publications). Bilingual like the staff guide; the same text as the local stack's notifier.
 */
export async function mailRejectionReport(
  notice: ReleaseRejectedNotice,
  deps: { mailer: Mailer; from: Mailbox; clock: Clock },
): Promise<void> {
  const { report } = notice;
  const text = [
    report.message,
    '',
    reportSummary(report),
    `Report: ${reportKey(report.file)}`,
    `When: ${report.when}`,
  ].join('\n');
  const { raw } = await composeMail({
    from: deps.from,
    to: notice.to,
    subject: `Tiedotetta ei julkaistu / Release not published: ${report.file}`,
    text,
    html: `<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(text)}</pre>`,
    date: deps.clock(),
  });
  await deps.mailer.send({ raw, from: deps.from.address, to: [notice.to] });
}
