import { createHmac } from 'node:crypto';
import {
  openSignedToken,
  type SignedTokenLayout,
  sealSignedToken,
} from '../shared/signed-token.js';
import { idFromBytes, idToBytes } from './ids.js';
import type { SubscriberKeys } from './keys.js';

/** What a token lets its holder do: confirm a sign-up, or manage (unsubscribe, preferences). */
export type TokenPurpose = 'confirm' | 'manage';

/** How long a confirmation link works. */
export const CONFIRM_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface TokenClaims {
  subscriberId: string;
  purpose: TokenPurpose;
  /** `undefined`: never expires (manage tokens, so old unsubscribe links keep working). */
  expiresAt?: Date;
}

type TokenProblem = 'malformed' | 'signature' | 'purpose' | 'expired';

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem };

// Layout: version (1) | purpose (1) | subscriber id (16) | expiry, Unix seconds, 0 = none (4)
// | HMAC-SHA256 of all of the above (32). 54 bytes, 72 base64url characters.
const VERSION = 1;
const PURPOSE_CODES: Record<TokenPurpose, number> = { confirm: 1, manage: 2 };
const PAYLOAD_BYTES = 1 + 1 + 16 + 4;

function layout(keys: SubscriberKeys): SignedTokenLayout {
  return {
    version: VERSION,
    payloadBytes: PAYLOAD_BYTES,
    macBytes: 32,
    mac: (payload) => mac(keys, payload),
  };
}

/**
 * Creates a signed, URL-safe token for a subscriber id and purpose. The token names no address.
 *
 * `claims.expiresAt` omitted gives a token that never expires.
 */
export function signToken(keys: SubscriberKeys, claims: TokenClaims): string {
  const id = idToBytes(claims.subscriberId);
  if (id === undefined) throw new TypeError('signToken: not a subscriber id');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  payload[1] = PURPOSE_CODES[claims.purpose];
  payload.set(id, 2);
  const expiry = claims.expiresAt === undefined ? 0 : Math.ceil(claims.expiresAt.getTime() / 1000);
  payload.writeUInt32BE(expiry, 18);
  return sealSignedToken(layout(keys), payload);
}

/**
 * Checks a token from a URL: its shape, its signature (in constant time), that it was issued for
 * `purpose`, and that it has not expired at `now`. Never throws on any input.
 */
export function verifyToken(
  keys: SubscriberKeys,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): TokenCheck {
  const opened = openSignedToken(layout(keys), token);
  if (!opened.ok) return opened;
  const { payload } = opened;
  if (payload[1] !== PURPOSE_CODES[purpose]) return { ok: false, problem: 'purpose' };
  const expiry = payload.readUInt32BE(18);
  const expiresAt = expiry === 0 ? undefined : new Date(expiry * 1000);
  if (expiresAt !== undefined && now.getTime() >= expiresAt.getTime()) {
    return { ok: false, problem: 'expired' };
  }
  const subscriberId = idFromBytes(payload.subarray(2, 18));
  return { ok: true, claims: { subscriberId, purpose, ...(expiresAt ? { expiresAt } : {}) } };
}

function mac(keys: SubscriberKeys, payload: Uint8Array): Buffer {
  return createHmac('sha256', keys.tokenKey).update(payload).digest();
}
