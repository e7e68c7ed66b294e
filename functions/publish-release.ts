import type { SQSEvent } from 'aws-lambda';
import { readPipelineConfig } from '../src/config/pipeline.js';
import { withMetrics } from '../src/observability/metrics.js';
import { type ConsumeResult, publishReleaseHandler } from '../src/pipeline/handlers.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';

// Cold start: configuration (a ConfigError names every missing variable) and the S3 and SQS
// clients live as long as the container.
const pipeline = pipelineFromConfig(readPipelineConfig(process.env));
const publish = publishReleaseHandler(pipeline);

/**
 * The site's one writer: a batch from the publishing FIFO queue (S3 events for `releases/` via
 * EventBridge, `publish-due` ticks, `reconcile` requests), applied as one change. Throws if the
 * batch failed, so SQS delivers it again and, after maxReceiveCount, to the dead-letter queue.
 */
async function handle(event: SQSEvent): Promise<ConsumeResult> {
  return publish(event);
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
