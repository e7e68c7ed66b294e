import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { readDigestConfig } from '../src/digest/config.js';
import {
  continuationDelay,
  enqueue,
  needsContinuation,
  runSummary,
} from '../src/digest/continuation.js';
import { handleNotice } from '../src/digest/notices.js';
import { wireMailRuns } from '../src/digest/wiring.js';
import type { PipelineNotice } from '../src/pipeline/notifier.js';
import { jsonLog } from '../src/subscribers/log.js';

const config = readDigestConfig(process.env);
const wiring = await wireMailRuns(config, {
  templatesDir: fileURLToPath(new URL('../templates/digest/', import.meta.url)),
});
const sqs = new SQSClient({ region: config.region });

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
    if (outcome.kind !== 'immediate') {
      jsonLog({ level: 'info', event: `notice.${outcome.kind}` });
      continue;
    }
    const { result } = outcome;
    jsonLog({ level: 'info', event: 'immediate.run', ...runSummary(result) });
    if (!needsContinuation(result)) continue;
    if (!config.immediateQueueUrl)
      throw new Error(`${result.runId} is ${result.status}: IMMEDIATE_QUEUE_URL is not set`);
    await enqueue(sqs, config.immediateQueueUrl, notice, continuationDelay(result));
  }
}
