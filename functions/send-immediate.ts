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
import { mailRejectionReport } from '../src/digest/rejection-mail.js';
import { runImmediate } from '../src/digest/run.js';
import { wireMailRuns } from '../src/digest/wiring.js';
import type { PipelineNotice } from '../src/pipeline/notifier.js';
import { jsonLog } from '../src/subscribers/log.js';

const config = readDigestConfig(process.env);
const wiring = await wireMailRuns(config, {
  templatesDir: fileURLToPath(new URL('../templates/digest/', import.meta.url)),
});
const sqs = new SQSClient({ region: config.region });

/**
 * The pipeline's notification queue: for each `release-published` notice, mails the release to its
 * immediate subscribers (once per release: the run id comes from the release id); a run that must
 * stop is continued by putting the same notice back on the queue, delayed. A `release-rejected`
 * notice is mailed to staff.
 */
export async function handler(event: SQSEvent, context: Context): Promise<void> {
  for (const record of event.Records) {
    const notice = JSON.parse(record.body) as PipelineNotice;
    if (notice.type === 'release-rejected') {
      await mailRejectionReport(notice, { ...wiring.options, from: config.mailFrom });
      jsonLog({ level: 'info', event: 'rejection.mailed', file: notice.report.file });
      continue;
    }
    const release = await wiring.releases.releaseAt(notice.key);
    if (release === undefined || release.id !== notice.releaseId) {
      // Deleted or replaced since the notice was sent: there is nothing to announce.
      jsonLog({ level: 'info', event: 'immediate.gone', releaseId: notice.releaseId });
      continue;
    }
    const result = await runImmediate(release, {
      ...wiring.options,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    jsonLog({ level: 'info', event: 'immediate.run', ...runSummary(result) });
    if (!needsContinuation(result)) continue;
    if (!config.immediateQueueUrl)
      throw new Error(`${result.runId} is ${result.status}: IMMEDIATE_QUEUE_URL is not set`);
    await enqueue(sqs, config.immediateQueueUrl, notice, continuationDelay(result));
  }
}
