import { publishDue } from './publish-due.js';
import { reconcile } from './reconcile.js';
import { decodeS3Event, isReleaseKey } from './s3-event.js';
import { jsonLogger, type PipelineDeps, syncRelease } from './sync.js';

/** Some records of an event failed; Lambda retries the event (syncs are idempotent). */
export class EventFailedError extends AggregateError {
  override readonly name = 'EventFailedError';
}

/**
 * The publish-release handler over any wiring (Lambda's in functions/, the local stack's in
 * src/local): validates the S3 event, syncs every record that names a release file (`isReleaseKey`) (a rejected release
 * is a report, not a failure), and throws if any record failed so Lambda's retries and failure
 * destination apply.
 */
export function publishReleaseHandler(deps: PipelineDeps) {
  const log = deps.log ?? jsonLogger;
  return async (event: unknown): Promise<void> => {
    const records = decodeS3Event(event);
    const errors: unknown[] = [];
    for (const record of records) {
      if (!isReleaseKey(record.key)) {
        log('ignored key that is not a release file', { key: record.key });
        continue;
      }
      try {
        await syncRelease(deps, record.key, { sequencer: record.sequencer });
      } catch (error) {
        log('sync failed', { key: record.key, error: String(error) });
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new EventFailedError(errors, `${errors.length} of ${records.length} records failed`);
    }
  };
}

/** The scheduled publish-due handler: publishes embargoed releases whose time has come. */
export function publishDueHandler(deps: PipelineDeps) {
  return async (): Promise<{ published: string[] }> => {
    const results = await publishDue(deps);
    return { published: results.filter((result) => result.public).map((result) => result.key) };
  };
}

/** The scheduled reconcile handler: compares state with the bucket and repairs drift. */
export function reconcileHandler(deps: PipelineDeps) {
  return async () => reconcile(deps);
}
