import type { S3Event } from 'aws-lambda';
import { publishReleaseHandler } from '../src/pipeline/handlers.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';
import { readPipelineConfig } from '../src/shared/env.js';

// Cold start: configuration (a ConfigError names every missing variable) and the S3 and SQS
// clients live as long as the container.
const pipeline = pipelineFromConfig(readPipelineConfig(process.env));
const publish = publishReleaseHandler(pipeline);

/**
 * S3 `ObjectCreated:*` / `ObjectRemoved:*` on `releases/*.md`: validates the event, publishes the
 * current state of every record's object (a rejected upload becomes a report, not an error) and
 * throws if any record failed, so Lambda retries the event and then uses its failure destination.
 */
export async function handler(event: S3Event): Promise<void> {
  await publish(event);
}
