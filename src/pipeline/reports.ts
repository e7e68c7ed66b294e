import { headEtag } from '../adapters/head.js';
import type { ReleaseProblem } from '../release/types.js';
import type { ObjectStore } from '../shared/ports.js';
import type { Logger, PipelineDeps } from './deps.js';
import type { RejectionReport } from './notifier.js';
import type { RecordStep } from './record-step.js';

/** Where rejection reports live in the releases bucket. */
export const REPORTS_PREFIX = 'reports/';

/** Where the report on the object at `key` is written (in the releases bucket). */
export function reportKey(key: string): string {
  return `${REPORTS_PREFIX}${key}.json`;
}

/** The report on a rejected upload. */
export function rejectionReport(
  key: string,
  problem: ReleaseProblem,
  when: Date,
  sourceEtag: string,
  stillPublished: boolean,
): RejectionReport {
  const where = problem.line === undefined ? '' : ` (line ${problem.line})`;
  const outcome = stillPublished
    ? 'The version published before stays online.'
    : 'Nothing was published.';
  return {
    file: key,
    problem: problem.message,
    ...(problem.line === undefined ? {} : { line: problem.line }),
    ...(problem.field === undefined ? {} : { field: problem.field }),
    when: when.toISOString(),
    message: `${key} was not published${where}: ${problem.message} ${outcome} Fix the file and upload it again; this report disappears when the fixed version is accepted.`,
    sourceEtag,
  };
}

/** Writes the report beside the upload (pretty-printed: staff open it in the console). */
export async function writeReport(store: ObjectStore, report: RejectionReport): Promise<void> {
  await store.put(reportKey(report.file), `${JSON.stringify(report, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
}

/**
 * Makes the key's rejection report follow its record, after the record was written: a rejected
 * version writes the report and (with `STAFF_EMAIL`) puts a `release-rejected` notice on the
 * queue; an accepted or deleted one removes a report left from before. A batch retried after a
 * crash between the record and the report finds the record unchanged and does the same again
 * (the report is written before the notice, so a missing report means staff were not told).
 */
export async function followRecord(
  deps: Pick<PipelineDeps, 'bucket' | 'notifier' | 'staffEmail'>,
  step: RecordStep,
  now: Date,
  log: Logger,
): Promise<void> {
  const { change, record, key } = step;
  const rejected = record?.rejected;
  if (
    rejected &&
    record.sourceEtag &&
    (change.kind === 'rejected' || change.kind === 'unchanged')
  ) {
    if (
      change.kind === 'unchanged' &&
      (await headEtag(deps.bucket, reportKey(key))) !== undefined
    ) {
      return;
    }
    const when = change.kind === 'rejected' ? now : new Date(rejected.at);
    const report = rejectionReport(
      key,
      rejected.problem,
      when,
      record.sourceEtag,
      !!record.release,
    );
    await writeReport(deps.bucket, report);
    log('release rejected', { key, problem: report.problem, line: report.line });
    if (deps.staffEmail) {
      await deps.notifier.notify({ type: 'release-rejected', to: deps.staffEmail, report });
    }
  } else if (!rejected && (step.wasRejected || change.kind === 'unchanged')) {
    await deps.bucket.delete(reportKey(key));
  }
}
