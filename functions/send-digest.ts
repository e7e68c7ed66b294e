import type { Context } from 'aws-lambda';
import {
  continueRun,
  type DigestContinuation,
  digestTriggersOf,
} from '../src/digest/continuation.js';
import { wireMailFunction } from '../src/digest/lambda.js';
import { runDigest } from '../src/digest/run.js';
import { withMetrics } from '../src/observability/metrics.js';

// Cold start: configuration and clients; the compiled-template cache follows at the first
// invocation (it reads releases/site.json). All live as long as the container.
const { config, wiring: mailWiring, sqs } = wireMailFunction(process.env);
const queue = { client: sqs, url: config.digestQueueUrl, setting: 'DIGEST_QUEUE_URL' };

/**
 * Schedule (input `{"frequency":"daily"}` or `"weekly"`) and the digest queue (continuations): runs
 * or resumes that digest, and when it must stop (time, quota, another invocation holding it) puts
 * a continuation on the digest queue.
 */
async function handle(event: unknown, context: Context): Promise<void> {
  const triggers = digestTriggersOf(event);
  const wiring = await mailWiring();
  for (const trigger of triggers) {
    const result = await runDigest({
      ...wiring.options,
      frequency: trigger.frequency,
      at: trigger.at,
      releases: wiring.releases,
      schedule: config.schedule,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    await continueRun(
      result,
      'digest.run',
      queue,
      (): DigestContinuation => ({
        type: 'digest-continuation',
        frequency: trigger.frequency,
        at: result.window.until.toISOString(),
        runId: result.runId,
      }),
    );
  }
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
