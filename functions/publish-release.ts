import type { SQSEvent } from 'aws-lambda';
import { readPipelineConfig } from '../src/config/pipeline.js';
import { withMetrics } from '../src/observability/metrics.js';
import { type ConsumeResult, publishReleaseHandler } from '../src/pipeline/handlers.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';
import { withSiteJson } from '../src/site/site-config.js';

// Cold start: configuration (a ConfigError names every missing variable) and the S3 and SQS
// clients live as long as the container.
const pipeline = pipelineFromConfig(readPipelineConfig(process.env));

/**
 * The site's one writer: a batch from the publishing FIFO queue (S3 events for `releases/` via
 * EventBridge, `publish-due` ticks, `reconcile` requests), applied as one change. Each batch reads
 * `releases/site.json` (one GET), so pages follow a branding change from the next batch on, as the
 * CLI build would render them; a broken file fails the batch with the field at fault. Throws if
 * the batch failed, so SQS delivers it again and, after maxReceiveCount, to the dead-letter queue.
 */
async function handle(event: SQSEvent): Promise<ConsumeResult> {
  const site = await withSiteJson(pipeline.site, pipeline.bucket);
  return publishReleaseHandler({ ...pipeline, site })(event);
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
