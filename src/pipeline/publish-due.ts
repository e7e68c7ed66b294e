import { dueAt, type EmbargoDoc } from './embargo.js';
import { EMBARGO_KEY } from './state-keys.js';
import { readDocument } from './state-store.js';
import { type PipelineDeps, type SyncResult, syncRelease } from './sync.js';

/** Some due releases could not be published; the others were. */
export class PublishDueError extends AggregateError {
  override readonly name = 'PublishDueError';
}

/**
 * Publishes every embargoed release whose time has come (by `deps.clock`): each goes through the
 * same sync as an upload, which now finds it public, places it in feeds and pages, and takes it off
 * the embargo list. Releases whose sync fails are retried by the next scheduled run.
 */
export async function publishDue(deps: PipelineDeps): Promise<SyncResult[]> {
  const embargo = await readDocument<EmbargoDoc>(deps.bucket, EMBARGO_KEY);
  const due = embargo ? dueAt(embargo.value, deps.clock()) : [];
  const results: SyncResult[] = [];
  const errors: unknown[] = [];
  for (const entry of due) {
    try {
      results.push(await syncRelease(deps, entry.key));
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) {
    throw new PublishDueError(errors, `${errors.length} of ${due.length} due releases failed`);
  }
  return results;
}
