import { formatProblem, type ReleaseProblem } from '../release/types.js';
import type { ObjectStore } from '../shared/ports.js';

/** Staff-readable account of why an upload was not published (`reports/<key>.json`). */
export interface RejectionReport {
  /** The uploaded object's key, e.g. `releases/Kevät 2021.md`. */
  file: string;
  /** What is wrong, as the parser put it. */
  problem: string;
  /** 1-based line of the problem, when known. */
  line?: number;
  /** Front-matter field the problem is about, when known. */
  field?: string;
  /** ISO 8601: when the upload was rejected. */
  when: string;
  /** One sentence for people: what happened, what stays online, what to do. */
  message: string;
  /** ETag of the rejected version (always written; consumers of notices need not look at it). */
  sourceEtag?: string;
}

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

/** The one-line form the CLI uses, for logs and mail subjects. */
export function reportSummary(report: RejectionReport): string {
  return formatProblem({ path: report.file, line: report.line, message: report.problem });
}
