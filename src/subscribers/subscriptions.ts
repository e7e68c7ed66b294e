import type { Log } from '../observability/log.js';
import type { Clock } from '../shared/ports.js';
import { newSubscriberId, shardOfAddressHash } from './ids.js';
import { hashAddress, type SubscriberKeys } from './keys.js';
import type { ConfirmationLimiter } from './limits.js';
import type { SubscriberStore } from './store.js';
import { blocksAllMail, liftableByOptIn, withSuppression } from './suppression.js';
import { CONFIRM_TOKEN_TTL_MS, signToken, verifyToken } from './tokens.js';
import type {
  AddressState,
  ConsentEvidence,
  Lang,
  PendingSignup,
  Preferences,
  SendConfirmation,
  Subscriber,
} from './types.js';

/** What the subscription operations need. */
export interface SubscriptionDeps {
  subscribers: SubscriberStore;
  keys: SubscriberKeys;
  clock: Clock;
  sendConfirmation: SendConfirmation;
  /** Confirmation mails per mailbox, per client network and per hour. */
  limiter: ConfirmationLimiter;
  /** Public base URL without a trailing slash; the API is served under `${siteUrl}/api/`. */
  siteUrl: string;
  log: Log;
}

/** A sign-up as the HTTP edge validated it. */
export interface SignupRequest {
  /** Normalized by `parseAddress`. */
  address: string;
  preferences: Preferences;
  evidence: Omit<ConsentEvidence, 'requestedAt' | 'confirmedAt' | 'confirmIp' | 'confirmUserAgent'>;
}

/**
 * What happened to a sign-up. Residents are always told the same thing, whatever this is, so that
 * nobody can learn whether an address is subscribed or suppressed.
 */
export type SignupOutcome = 'mailed' | 'suppressed' | 'throttled';

/** The links every mail to a subscriber carries. */
export interface SubscriberLinks {
  /** Page with an unsubscribe button; also the RFC 8058 one-click POST target. */
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/**
 * Unsubscribe and preference links for a subscriber. Manage tokens never expire, so links in old
 * mail keep working until the subscriber is removed.
 */
export function subscriberLinks(
  keys: SubscriberKeys,
  siteUrl: string,
  subscriberId: string,
): SubscriberLinks {
  const token = signToken(keys, { subscriberId, purpose: 'manage' });
  return {
    unsubscribeUrl: `${siteUrl}/api/unsubscribe?token=${token}`,
    preferencesUrl: `${siteUrl}/api/preferences?token=${token}`,
  };
}

/**
 * Double opt-in, step one: stores a pending sign-up and mails a confirmation link, unless the
 * address bounced or complained (no mail ever) or a confirmation limit (mailbox, client network,
 * site-wide hour) is reached. An address that is already subscribed gets a confirmation too:
 * confirming replaces its preferences.
 */
export async function requestSubscription(
  deps: SubscriptionDeps,
  request: SignupRequest,
): Promise<SignupOutcome> {
  const now = deps.clock();
  const addressHash = hashAddress(deps.keys, request.address);
  if (blocksAllMail(await deps.subscribers.getAddressState(addressHash))) {
    deps.log({ level: 'info', event: 'subscribe.suppressed' });
    return 'suppressed';
  }
  const claim = await deps.limiter.claim(request.address, request.evidence.ip, now);
  if (!claim.ok) {
    // The site-wide cap is the alarm's metric filter: someone is spending the digests' quota.
    if (claim.refusedBy === 'global') deps.log({ level: 'warn', event: 'subscribe.global-cap' });
    else deps.log({ level: 'info', event: 'subscribe.throttled', limit: claim.refusedBy });
    return 'throttled';
  }
  const expiresAt = new Date(now.getTime() + CONFIRM_TOKEN_TTL_MS);
  const signup: PendingSignup = {
    ...request.preferences,
    id: newSubscriberId(shardOfAddressHash(addressHash)),
    address: request.address,
    addressHash,
    consent: { ...request.evidence, requestedAt: now.toISOString() },
    expiresAt: expiresAt.toISOString(),
  };
  try {
    await deps.subscribers.putPending(signup);
    const token = signToken(deps.keys, { subscriberId: signup.id, purpose: 'confirm', expiresAt });
    await deps.sendConfirmation({
      to: signup.address,
      lang: signup.lang,
      confirmUrl: `${deps.siteUrl}/api/confirm?token=${token}`,
    });
  } catch (error) {
    // Without the mail the resident must be able to try again at once.
    await claim.slot.release().catch(() => {});
    throw error;
  }
  deps.log({ level: 'info', event: 'subscribe.mailed' });
  return 'mailed';
}

/** Where a confirmation or management request came from. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; subscriber: Subscriber }
  /** The link is not one of ours, or its sign-up is gone. */
  | { kind: 'invalid' }
  | { kind: 'expired' }
  /** The address complained about our mail; it can only be subscribed again by staff. */
  | { kind: 'refused'; lang: Lang };

/**
 * Double opt-in, step two: turns the pending sign-up named by a confirmation token into a
 * confirmed subscriber (or updates the existing one) and records when and from where. Following
 * the same link again answers `confirmed` again.
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  token: string,
  origin: RequestOrigin,
): Promise<ConfirmOutcome> {
  const now = deps.clock();
  const check = verifyToken(deps.keys, token, 'confirm', now);
  if (!check.ok) return { kind: check.problem === 'expired' ? 'expired' : 'invalid' };
  const { subscriberId } = check.claims;
  const signup = await deps.subscribers.getPending(subscriberId);
  if (signup === undefined) {
    const existing = await deps.subscribers.findById(subscriberId);
    return existing ? { kind: 'confirmed', subscriber: existing } : { kind: 'invalid' };
  }
  if (Date.parse(signup.expiresAt) <= now.getTime()) {
    await deps.subscribers.deletePending(signup.id);
    return { kind: 'expired' };
  }
  const state = await deps.subscribers.getAddressState(signup.addressHash);
  if (!liftableByOptIn(state)) {
    deps.log({ level: 'warn', event: 'confirm.refused-complained' });
    return { kind: 'refused', lang: signup.lang };
  }
  const subscriber = await deps.subscribers.upsert({
    id: signup.id,
    address: signup.address,
    addressHash: signup.addressHash,
    lang: signup.lang,
    categories: signup.categories,
    frequency: signup.frequency,
    consent: {
      ...signup.consent,
      confirmedAt: now.toISOString(),
      confirmIp: origin.ip,
      confirmUserAgent: origin.userAgent,
    },
    updatedAt: now.toISOString(),
  });
  if (state?.suppression !== undefined) {
    await deps.subscribers.updateAddressState(signup.addressHash, (current) =>
      liftableByOptIn(current) ? undefined : current,
    );
  }
  await deps.subscribers.deletePending(signup.id);
  deps.log({ level: 'info', event: 'confirm.confirmed' });
  return { kind: 'confirmed', subscriber };
}

/** The subscriber a manage token names, or `undefined` for a bad token or a removed subscriber. */
export async function findManagedSubscriber(
  deps: SubscriptionDeps,
  token: string,
): Promise<Subscriber | undefined> {
  const check = verifyToken(deps.keys, token, 'manage', deps.clock());
  if (!check.ok) return undefined;
  return deps.subscribers.findById(check.claims.subscriberId);
}

export type RemoveOutcome =
  | { kind: 'removed'; lang?: Lang }
  /** The token is not one of ours. */
  | { kind: 'invalid' };

/**
 * Unsubscribes (and forgets) the subscriber a manage token names: the record and its address are
 * deleted, and only the keyed hash of the address is kept, marked `unsubscribed`. Used for the
 * unsubscribe button, RFC 8058 one-click POSTs and "delete me". Idempotent.
 */
export async function removeSubscriber(
  deps: SubscriptionDeps,
  token: string,
): Promise<RemoveOutcome> {
  const now = deps.clock();
  const check = verifyToken(deps.keys, token, 'manage', now);
  if (!check.ok) return { kind: 'invalid' };
  // Roster first: if the second write fails, the resident is still unsubscribed.
  const removed = await deps.subscribers.removeById(check.claims.subscriberId);
  if (removed === undefined) return { kind: 'removed' };
  await deps.subscribers.updateAddressState(removed.addressHash, (state) =>
    withSuppression(state, 'unsubscribed', now),
  );
  deps.log({ level: 'info', event: 'unsubscribe.removed' });
  return { kind: 'removed', lang: removed.lang };
}

/**
 * Changes a subscriber's language, categories and frequency.
 *
 * @returns the updated record, or `undefined` when the subscriber is gone.
 */
export async function updatePreferences(
  deps: SubscriptionDeps,
  subscriberId: string,
  preferences: Preferences,
): Promise<Subscriber | undefined> {
  const now = deps.clock().toISOString();
  return deps.subscribers.update(subscriberId, (s) => ({ ...s, ...preferences, updatedAt: now }));
}

/** Everything stored about a subscriber, for "download my data". */
export interface DataExport {
  exportedAt: string;
  subscriber: Subscriber;
  /** Soft-bounce and suppression state of the address, when there is any. */
  addressState?: AddressState;
}

/** Collects everything stored about a subscriber (GDPR art. 15 / 20). */
export async function exportSubscriberData(
  deps: SubscriptionDeps,
  subscriber: Subscriber,
): Promise<DataExport> {
  const addressState = await deps.subscribers.getAddressState(subscriber.addressHash);
  return {
    exportedAt: deps.clock().toISOString(),
    subscriber,
    ...(addressState ? { addressState } : {}),
  };
}

/**
 * Lifts any suppression of an address (a staff action, after the resident asked by other means):
 * afterwards the address may subscribe again through the normal double opt-in.
 */
export async function liftSuppression(
  subscribers: SubscriberStore,
  keys: SubscriberKeys,
  normalizedAddress: string,
): Promise<void> {
  await subscribers.updateAddressState(hashAddress(keys, normalizedAddress), () => undefined);
}
