import type { Lang } from '../shared/languages.js';

export { isLang, LANGS, type Lang } from '../shared/languages.js';

/** How often a subscriber wants mail. */
export const FREQUENCIES = ['immediate', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** What a subscriber wants to receive. */
export interface Preferences {
  lang: Lang;
  /** Category slugs (`Release.categorySlug`); empty means every category, including future ones. */
  categories: string[];
  frequency: Frequency;
}

/** How the resident asked: kept as evidence of consent (GDPR art. 7(1)). */
export interface ConsentEvidence {
  /** ISO 8601 instant of the sign-up request. */
  requestedAt: string;
  /** Source IP of the sign-up request, as API Gateway saw it. */
  ip: string;
  userAgent: string;
  /** `html-form` (the site's form) or `json` (the JSON API). */
  channel: 'html-form' | 'json';
  /** The page the form was on, when the browser said so and it is on this site. */
  page?: string;
  /** Language of the form the resident used. */
  lang: Lang;
  /** ISO 8601 instant the confirmation link was followed. */
  confirmedAt?: string;
  confirmIp?: string;
  confirmUserAgent?: string;
}

/** A confirmed subscriber, as stored in a roster shard. */
export interface Subscriber extends Preferences {
  /** Random, unguessable id (base64url); tokens carry it, never the address. */
  id: string;
  /** Normalized address (see `parseAddress`). */
  address: string;
  /** Keyed hash of `address` (see `SubscriberKeys.addressHash`). */
  addressHash: string;
  consent: ConsentEvidence;
  /** ISO 8601 instant of the last change to this record. */
  updatedAt: string;
}

/** A sign-up waiting for its confirmation link to be followed. */
export interface PendingSignup extends Preferences {
  /** The id the subscriber will get; the confirmation token carries it. */
  id: string;
  address: string;
  addressHash: string;
  consent: ConsentEvidence;
  /** ISO 8601 instant after which the sign-up is void. */
  expiresAt: string;
}

/**
 * Why an address gets no mail. `bounce` and `complaint` come from SES; `unsubscribed` records a
 * resident's own unsubscribe or "delete me".
 */
export type SuppressionReason = 'bounce' | 'complaint' | 'unsubscribed';

/** What is kept about an address after its subscriber record is gone: no address, only its hash. */
export interface AddressState {
  /** Present while the address is suppressed. */
  suppression?: { reason: SuppressionReason; at: string };
  /** Recent transient (soft) bounces, oldest first; pruned to the counting window. */
  transientBounces: { at: string; feedbackId?: string }[];
}

/** Sends the double opt-in mail; implemented by the mail module, injected into the API core. */
export type SendConfirmation = (request: {
  to: string;
  lang: Lang;
  confirmUrl: string;
}) => Promise<void>;

/** Whether `value` is one of {@link FREQUENCIES}. */
export function isFrequency(value: unknown): value is Frequency {
  return typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value);
}

/** Whether a subscriber with these preferences wants releases of category `categorySlug`. */
export function wantsCategory(
  preferences: { readonly categories: readonly string[] },
  categorySlug: string,
): boolean {
  return preferences.categories.length === 0 || preferences.categories.includes(categorySlug);
}
