import type { AddressState, SuppressionReason } from './types.js';

// A stronger reason is never replaced by a weaker one: a complaint outlives a later unsubscribe.
const STRENGTH: Record<SuppressionReason, number> = { unsubscribed: 0, bounce: 1, complaint: 2 };

/** Soft bounces tolerated before an address is suppressed. */
export interface BouncePolicy {
  /** This many transient bounces within `windowMs` suppress the address. */
  transientThreshold: number;
  windowMs: number;
}

export const DEFAULT_BOUNCE_POLICY: BouncePolicy = {
  transientThreshold: 3,
  windowMs: 30 * 24 * 60 * 60 * 1000,
};

/** `state` with the address suppressed for `reason`, unless a stronger reason is already there. */
export function withSuppression(
  state: AddressState | undefined,
  reason: SuppressionReason,
  at: Date,
): AddressState {
  const current = state?.suppression;
  const keep = current !== undefined && STRENGTH[current.reason] >= STRENGTH[reason];
  return {
    transientBounces: state?.transientBounces ?? [],
    suppression: keep ? current : { reason, at: at.toISOString() },
  };
}

/**
 * `state` with one more soft bounce counted (once per SES feedback id, since SNS may deliver a
 * notification twice), older ones outside the window dropped, and the address suppressed for
 * `bounce` when the threshold is reached.
 */
export function withTransientBounce(
  state: AddressState | undefined,
  at: Date,
  feedbackId: string | undefined,
  policy: BouncePolicy,
): AddressState {
  const since = at.getTime() - policy.windowMs;
  const recent = (state?.transientBounces ?? []).filter((b) => Date.parse(b.at) > since);
  const seen = feedbackId !== undefined && recent.some((b) => b.feedbackId === feedbackId);
  const bounces = seen
    ? recent
    : [...recent, { at: at.toISOString(), ...(feedbackId ? { feedbackId } : {}) }];
  const next: AddressState = { ...state, transientBounces: bounces };
  return bounces.length >= policy.transientThreshold ? withSuppression(next, 'bounce', at) : next;
}

/**
 * Whether an address must get no mail at all, not even a confirmation request: it bounced or
 * complained. (An `unsubscribed` address may ask again; the confirmation mail is its only mail.)
 */
export function blocksAllMail(state: AddressState | undefined): boolean {
  const reason = state?.suppression?.reason;
  return reason === 'bounce' || reason === 'complaint';
}

/**
 * Whether a followed confirmation link lifts the suppression: yes for `unsubscribed` and `bounce`
 * (the resident just proved the mailbox works), never for `complaint`.
 */
export function liftableByOptIn(state: AddressState | undefined): boolean {
  return state?.suppression?.reason !== 'complaint';
}
