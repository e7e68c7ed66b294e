import * as v from 'valibot';
import type { ReleaseWarning } from '../release/types.js';
import type { DocumentSchema } from '../shared/document-store.js';

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

/**
 * What staff are told about one accepted upload event (at most one staff mail per event; a
 * rejected one is a `ReleaseRejectedNotice` instead). Sent only when `STAFF_EMAIL` is set; whether
 * it is mailed depends on `STAFF_NOTIFY` (all | problems) at the consumer.
 */
export interface StaffOutcomeNotice {
  type: 'staff-outcome';
  /** The staff address (`STAFF_EMAIL`). */
  to: string;
  /**
   * `published`: first made public; `updated`: a public release was edited; `fixed`: accepted
   * after its previous version was rejected; `scheduled`: stored under embargo until `published`;
   * `withdrawn`: the file was deleted and the release left the site.
   */
  outcome: 'published' | 'updated' | 'fixed' | 'scheduled' | 'withdrawn';
  /** The file as staff know it: the key without `releases/`. */
  sourcePath: string;
  /** Plain text. */
  title: string;
  /** The public page (for `withdrawn`, the address that now answers with a withdrawal notice). */
  url: string;
  /** ISO 8601: the release's date (for `scheduled`, when it will become public). */
  published: string;
  /** Non-fatal problems staff should still fix, in `PATH:LINE: reason` parts. */
  warnings: ReleaseWarning[];
  /**
   * True when the release is older than `NOTIFY_MAX_AGE` at its first publication (an archive
   * import): it is on the site and in feeds but no resident is mailed about it.
   */
  silent: boolean;
}

/**
 * A draft (a file under `drafts/`) was rendered privately: staff get one mail with a link to the
 * preview, signed by the mail consumer (which holds `TOKEN_SECRET`), valid until `expiresAt`.
 */
export interface DraftPreviewNotice {
  type: 'draft-preview';
  /** The staff address (`STAFF_EMAIL`). */
  to: string;
  /** The object key, `drafts/…`, as staff uploaded it. */
  sourcePath: string;
  /** Plain text. */
  title: string;
  /** SHA-256 (hex) of the draft's key: names `previews/<hash>.html`. */
  hash: string;
  /** ISO 8601: when the link stops working (7 days after the upload). */
  expiresAt: string;
  warnings: ReleaseWarning[];
}

/** What the publishing pipeline tells the rest of the system. */
export type PipelineNotice =
  | ReleasePublishedNotice
  | ReleaseRejectedNotice
  | StaffOutcomeNotice
  | DraftPreviewNotice;

/**
 * Hands a notice to whoever acts on it. The publishing function never sends mail itself (least
 * privilege): in AWS the notice goes onto the notification queue, locally to an in-process mailer.
 */
export interface Notifier {
  notify(notice: PipelineNotice): Promise<void>;
}

/** A notifier that drops every notice (no queue configured). */
export const DISCARD_NOTICES: Notifier = { notify: async () => {} };

/** A rejection report as stored: the fields staff and reconcile read. */
export const rejectionReportSchema: DocumentSchema<RejectionReport> = v.object({
  file: v.string(),
  problem: v.string(),
  line: v.optional(v.number()),
  field: v.optional(v.string()),
  when: v.string(),
  message: v.string(),
  sourceEtag: v.optional(v.string()),
});
