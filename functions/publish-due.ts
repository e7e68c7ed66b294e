import { publishDueHandler } from '../src/pipeline/handlers.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';
import { readPipelineConfig } from '../src/shared/env.js';

// Cold start: configuration and clients live as long as the container.
const pipeline = pipelineFromConfig(readPipelineConfig(process.env));
const publishDue = publishDueHandler(pipeline);

/**
 * Schedule (every 5 minutes): publishes embargoed releases whose time has come. Throws if any
 * failed; the next run retries them.
 */
export async function handler(): Promise<{ published: string[] }> {
  return publishDue();
}
