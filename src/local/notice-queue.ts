import { handleNotice, type NoticeOutcome } from '../digest/notices.js';
import type { MailRunWiring } from '../digest/wiring.js';
import type { Mailbox } from '../mail/compose.js';
import { staffFileName } from '../mail/staff-mail.js';
import type { Notifier, PipelineNotice } from '../pipeline/notifier.js';
import { formatProblem } from '../release/types.js';

/**
 * The local stack's {@link Notifier}: in AWS a notice goes to the queue and send-immediate handles
 * it; here the same core ({@link handleNotice}) handles it at once, in-process, so immediate mail
 * and staff mail show up in the local mail viewer, and the console says what happened and why.
 */
export class InProcessNoticeQueue implements Notifier {
  constructor(
    private readonly deps: { wiring: MailRunWiring; from: Mailbox },
    private readonly log: (line: string) => void,
  ) {}

  async notify(notice: PipelineNotice): Promise<void> {
    const outcome = await handleNotice(notice, this.deps);
    this.log(describeNotice(notice, outcome));
  }
}

/** One console line: a rejection with its `PATH:LINE: reason`, a confirmation with its address. */
function describeNotice(notice: PipelineNotice, outcome: NoticeOutcome): string {
  switch (outcome.kind) {
    case 'immediate': {
      const { result } = outcome;
      return `mail: immediate ${result.runId} ${result.status}, sent ${result.sent}`;
    }
    case 'rejection-mailed': {
      if (notice.type !== 'release-rejected') return `mail: ${outcome.kind}`;
      const { report } = notice;
      const path = staffFileName(report.file);
      return `rejected: ${formatProblem({ path, line: report.line, message: report.problem })} (mailed to ${notice.to})`;
    }
    case 'staff-outcome': {
      if (notice.type !== 'staff-outcome') return `mail: ${outcome.kind}`;
      const silent = notice.silent ? ', archive import: not mailed to subscribers' : '';
      const mailed = outcome.mailed ? ` (mailed to ${notice.to})` : '';
      // The page's path, not its URL: after `npm start -- --once` no server answers at that URL.
      return `${notice.outcome}: ${outcome.file} ${new URL(notice.url).pathname}${silent}${mailed}`;
    }
    case 'draft-preview':
      return `draft: ${outcome.file} preview ${outcome.url} (mailed to ${notice.type === 'draft-preview' ? notice.to : ''})`;
    case 'archive-import': {
      const file = notice.type === 'release-published' ? notice.sourcePath : outcome.releaseId;
      return `mail: none to subscribers: ${file} is an archive import (dated more than NOTIFY_MAX_AGE before its publication)`;
    }
    default:
      return `mail: ${outcome.kind}`;
  }
}
