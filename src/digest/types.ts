/**
 * The digest's own ports: what it needs from the subscriber store, the publishing pipeline and the
 * mail composer, kept narrow so each can be adapted (S3 roster, pipeline state, directory, test
 * doubles) without the digest knowing their formats.
 */
import type { Release } from '../release/types.js';
import type { Frequency, Lang } from '../subscribers/types.js';

export type { Frequency, Lang };

/** The scheduled digests; `immediate` mail is one release at a time. */
export type DigestFrequency = Exclude<Frequency, 'immediate'>;

/** A variant of the mail: which template and which subject/heading strings. */
export type MailKind = Frequency;

/** One subscriber as the digest needs it: where to send, what they want, their own links. */
export interface DigestRecipient {
  /** Stable, opaque id of the subscription; progress records name it (never the address). */
  id: string;
  email: string;
  /** Language of the mail's own words (subject, headings, footer). */
  lang: Lang;
  /** Category slugs wanted; empty means every category. */
  categories: readonly string[];
  /** Release languages wanted; empty means every language. */
  languages: readonly string[];
  /** One-click unsubscribe endpoint with this recipient's token (`…/api/unsubscribe?token=…`). */
  unsubscribeUrl: string;
  /** The recipient's preferences page, with their manage token. */
  preferencesUrl: string;
}

/** One shard of the roster: its id is known before its recipients are read. */
export interface RosterShard {
  /** Stable id; progress is checkpointed per shard under it. Must be a safe S3 key segment. */
  id: string;
  /** Its confirmed, unsuppressed recipients of the requested frequency. */
  recipients(): AsyncIterable<DigestRecipient>;
}

/** The subscriber roster, streamed shard by shard so memory stays flat at any size. */
export interface RosterSource {
  /** Every shard, in the same order on every call. */
  shards(frequency: Frequency): AsyncIterable<RosterShard>;
}

/** Where releases come from: the pipeline's state (scheduled runs) or a directory (preview). */
export interface ReleaseSource {
  /** Releases that became public in `(since, until]`, newest first. */
  publishedBetween(since: Date, until: Date): Promise<Release[]>;
}

/** What SES allows right now (`GetSendQuota`). */
export interface SendQuota {
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}
