import type { SQSEvent } from 'aws-lambda';
import { type ConsumeResult, publishReleaseHandler } from '../src/pipeline/handlers.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';
import { readPipelineConfig } from '../src/shared/env.js';
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
export async function handler(event: SQSEvent): Promise<ConsumeResult> {
  const site = await withSiteJson(pipeline.site, pipeline.bucket);
  return publishReleaseHandler({ ...pipeline, site })(event);
}
