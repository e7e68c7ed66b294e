import { handleNotice } from '../digest/notices.js';
import type { MailRunWiring } from '../digest/wiring.js';
import type { Mailbox } from '../mail/compose.js';
import type { Notifier, PipelineNotice } from '../pipeline/notifier.js';

/**
 * The local stack's {@link Notifier}: in AWS a notice goes to the queue and send-immediate handles
 * it; here the same core ({@link handleNotice}) handles it at once, in-process, so immediate mail
 * and staff reports show up in the local mail viewer.
 */
export class InProcessNoticeQueue implements Notifier {
  constructor(
    private readonly deps: { wiring: MailRunWiring; from: Mailbox },
    private readonly log: (line: string) => void,
  ) {}

  async notify(notice: PipelineNotice): Promise<void> {
    const outcome = await handleNotice(notice, this.deps);
    if (outcome.kind === 'immediate') {
      const { result } = outcome;
      this.log(`mail: immediate ${result.runId} ${result.status}, sent ${result.sent}`);
    } else {
      this.log(`mail: ${outcome.kind}`);
    }
  }
}
