import { applyBatch, type BatchResult } from './batch.js';
import { jsonLogger, type PipelineDeps } from './deps.js';
import type { PipelineEvent } from './events.js';
import { decodeInvocation } from './queue-message.js';
import { type ReconcileReport, reconcile } from './reconcile.js';

/** What one invocation of the consumer did. */
export interface ConsumeResult {
  batch: BatchResult;
  reconcile?: ReconcileReport;
}

/**
 * Applies one batch of queue events: object events and the embargo tick as one change, then, if
 * the batch holds a reconcile request, the nightly reconcile. Throws when anything failed, so the
 * queue delivers the batch again (every step is idempotent) and finally to its dead-letter queue.
 */
export async function consumeBatch(
  deps: PipelineDeps,
  events: readonly PipelineEvent[],
): Promise<ConsumeResult> {
  const batch = await applyBatch(deps, events);
  if (!events.some((event) => event.kind === 'reconcile')) return { batch };
  return { batch, reconcile: await reconcile(deps) };
}

/**
 * The publisher over any wiring (Lambda's in functions/, the local stack's in src/local):
 * decodes the invocation (an SQS batch, or an S3 event as the local stack delivers it) and
 * consumes it as one batch. A rejected release is a report, not a failure.
 */
export function publishReleaseHandler(deps: PipelineDeps) {
  const log = deps.log ?? jsonLogger;
  return async (event: unknown): Promise<ConsumeResult> => {
    const events = decodeInvocation(event);
    try {
      return await consumeBatch(deps, events);
    } catch (error) {
      log('batch failed', { events: events.length, error: String(error) });
      throw error;
    }
  };
}
