import { reconcileHandler } from '../src/pipeline/handlers.js';
import type { ReconcileReport } from '../src/pipeline/reconcile.js';
import { pipelineFromConfig } from '../src/pipeline/wiring.js';
import { readPipelineConfig } from '../src/shared/env.js';

// Cold start: configuration and clients live as long as the container.
const pipeline = pipelineFromConfig(readPipelineConfig(process.env));
const reconcile = reconcileHandler(pipeline);

/**
 * Schedule (nightly): compares the publishing state with the releases bucket and the public
 * bucket and repairs any drift; returns what it found.
 */
export async function handler(): Promise<ReconcileReport> {
  return reconcile();
}
