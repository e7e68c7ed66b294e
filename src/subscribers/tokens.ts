import { createHmac, timingSafeEqual } from 'node:crypto';
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
const MAC_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{72}$/;

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
  return Buffer.concat([payload, mac(keys, payload)]).toString('base64url');
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
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: 'malformed' };
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return { ok: false, problem: 'malformed' };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(keys, payload))) {
    return { ok: false, problem: 'signature' };
  }
  if (payload[0] !== VERSION) return { ok: false, problem: 'malformed' };
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
