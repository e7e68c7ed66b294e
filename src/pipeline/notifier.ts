import type { RejectionReport } from './reports.js';

/** A release became public for the first time (subscribers' immediate mail starts from this). */
export interface ReleasePublishedNotice {
  type: 'release-published';
  /** `Release.id`: consumers deduplicate on it (delivery is at least once). */
  releaseId: string;
  /** The object key under `releases/`. */
  key: string;
  sourcePath: string;
  url: string;
  /** ISO 8601. */
  published: string;
}

/** An upload was rejected; staff should be told why. */
export interface ReleaseRejectedNotice {
  type: 'release-rejected';
  /** The staff address (`STAFF_EMAIL`). */
  to: string;
  report: RejectionReport;
}

/** What the publishing pipeline tells the rest of the system. */
export type PipelineNotice = ReleasePublishedNotice | ReleaseRejectedNotice;

/**
 * Hands a notice to whoever acts on it. The publishing function never sends mail itself (least
 * privilege): in AWS the notice goes onto the notification queue, locally to an in-process mailer.
 */
export interface Notifier {
  notify(notice: PipelineNotice): Promise<void>;
}

/** A notifier that drops every notice (no queue configured). */
export const DISCARD_NOTICES: Notifier = { notify: async () => {} };
