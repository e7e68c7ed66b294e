import type { Context, SQSEvent } from 'aws-lambda';
import { continueRun } from '../src/digest/continuation.js';
import { wireMailFunction } from '../src/digest/lambda.js';
import { decodeNotice } from '../src/digest/notice-message.js';
import { handleNotice } from '../src/digest/notices.js';
import { jsonLog } from '../src/observability/log.js';
import { withMetrics } from '../src/observability/metrics.js';

// Cold start: configuration and clients; the compiled-template cache follows at the first
// invocation (it reads releases/site.json). All live as long as the container.
const { config, wiring: mailWiring, sqs } = wireMailFunction(process.env);
const queue = { client: sqs, url: config.immediateQueueUrl, setting: 'IMMEDIATE_QUEUE_URL' };

/**
 * The pipeline's notification queue: immediate mail for first publications, staff mail for
 * rejected uploads. A run that must stop is continued by putting the same notice back, delayed.
 */
async function handle(event: SQSEvent, context: Context): Promise<void> {
  const wiring = await mailWiring();
  for (const record of event.Records) {
    const notice = decodeNotice(record.body, record.messageId);
    const outcome = await handleNotice(notice, {
      wiring,
      from: config.mailFrom,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    if (outcome.kind === 'immediate') {
      await continueRun(outcome.result, 'immediate.run', queue, () => notice);
    } else {
      jsonLog({ level: 'info', event: `notice.${outcome.kind}` });
    }
  }
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
