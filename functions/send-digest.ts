import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { readDigestConfig } from '../src/digest/config.js';
import {
  continuationDelay,
  type DigestContinuation,
  enqueue,
  needsContinuation,
  parseDigestTrigger,
  runSummary,
} from '../src/digest/continuation.js';
import { runDigest } from '../src/digest/run.js';
import { wireMailRuns } from '../src/digest/wiring.js';
import { jsonLog } from '../src/subscribers/log.js';

// Cold start: configuration, clients and the compiled-template cache live as long as the container.
const config = readDigestConfig(process.env);
const wiring = await wireMailRuns(config, {
  templatesDir: fileURLToPath(new URL('../templates/digest/', import.meta.url)),
});
const sqs = new SQSClient({ region: config.region });

/**
 * Schedule (input `{"frequency":"daily"}` or `"weekly"`) and the digest queue (continuations): runs
 * or resumes that digest, and when it must stop (time, quota, another invocation holding it) puts
 * a continuation on the digest queue.
 */
export async function handler(event: unknown, context: Context): Promise<void> {
  const records = (event as Partial<SQSEvent>).Records;
  const triggers = records
    ? records.map((record) => parseDigestTrigger(JSON.parse(record.body)))
    : [parseDigestTrigger(event)];
  for (const trigger of triggers) {
    const result = await runDigest({
      ...wiring.options,
      frequency: trigger.frequency,
      at: trigger.at,
      releases: wiring.releases,
      schedule: config.schedule,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    jsonLog({ level: 'info', event: 'digest.run', ...runSummary(result) });
    if (result.status === 'nothing-new' || !needsContinuation(result)) continue;
    if (!config.digestQueueUrl)
      throw new Error(`${result.runId} is ${result.status}: DIGEST_QUEUE_URL is not set`);
    const continuation: DigestContinuation = {
      type: 'digest-continuation',
      frequency: trigger.frequency,
      at: result.window.until.toISOString(),
      runId: result.runId,
    };
    await enqueue(sqs, config.digestQueueUrl, continuation, continuationDelay(result));
  }
}
