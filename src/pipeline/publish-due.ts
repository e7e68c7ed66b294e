import { applyBatch, type BatchResult } from './batch.js';
import type { PipelineDeps } from './deps.js';

/**
 * Publishes every embargoed release whose time has come (by `deps.clock`), as one batch: each due
 * release is found public now, enters feeds and pages and leaves the embargo list. In AWS the
 * schedule only enqueues the tick (`{"type":"publish-due"}`) and the publisher applies it.
 */
export function publishDue(deps: PipelineDeps): Promise<BatchResult> {
  return applyBatch(deps, [{ kind: 'due' }]);
}
