import type { Context, SQSEvent } from 'aws-lambda';
import { continueRun } from '../src/digest/continuation.js';
import { wireMailFunction } from '../src/digest/lambda.js';
import { handleNotice } from '../src/digest/notices.js';
import type { PipelineNotice } from '../src/pipeline/notifier.js';
import { jsonLog } from '../src/subscribers/log.js';

// Cold start: configuration, clients and the compiled-template cache live as long as the container.
const { config, wiring, sqs } = await wireMailFunction(process.env);
const queue = { client: sqs, url: config.immediateQueueUrl, setting: 'IMMEDIATE_QUEUE_URL' };

/**
 * The pipeline's notification queue: immediate mail for first publications, staff mail for
 * rejected uploads. A run that must stop is continued by putting the same notice back, delayed.
 */
export async function handler(event: SQSEvent, context: Context): Promise<void> {
  for (const record of event.Records) {
    const notice = JSON.parse(record.body) as PipelineNotice;
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
