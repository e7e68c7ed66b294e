import { createHmac, hkdfSync } from 'node:crypto';
import {
  openSignedToken,
  type SignedTokenLayout,
  sealSignedToken,
} from '../shared/signed-token.js';
import { MIN_SECRET_BYTES, WeakSecretError } from '../subscribers/keys.js';

/** What a preview link's token carries: which preview, until when. */
export interface PreviewClaims {
  /** SHA-256 (hex) of the draft's key. */
  hash: string;
  expiresAt: Date;
}

export type PreviewCheck =
  | { ok: true; claims: PreviewClaims }
  | { ok: false; problem: 'malformed' | 'signature' | 'expired' };

// Layout: version (1) | draft hash (32) | expiry, Unix seconds (4) | HMAC-SHA256 of those (32).
// 69 bytes, 92 base64url characters.
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 32 + 4;

function layout(key: Uint8Array): SignedTokenLayout {
  return {
    version: VERSION,
    payloadBytes: PAYLOAD_BYTES,
    macBytes: 32,
    mac: (payload) => mac(key, payload),
  };
}

/**
 * The key that signs preview links, derived (HKDF-SHA256) from `TOKEN_SECRET` with its own label,
 * so a preview token can never pass as a subscriber token or the other way round.
 * @throws {WeakSecretError} when the secret is shorter than {@link MIN_SECRET_BYTES}.
 */
export function derivePreviewKey(secret: string): Uint8Array {
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length < MIN_SECRET_BYTES) throw new WeakSecretError(MIN_SECRET_BYTES);
  return new Uint8Array(hkdfSync('sha256', bytes, 'newsroom/previews', 'preview v1', 32));
}

/** A signed, URL-safe token for one preview, valid until `claims.expiresAt`. */
export function signPreviewToken(key: Uint8Array, claims: PreviewClaims): string {
  if (!/^[0-9a-f]{64}$/.test(claims.hash)) throw new TypeError('signPreviewToken: not a SHA-256');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  payload.write(claims.hash, 1, 'hex');
  payload.writeUInt32BE(Math.ceil(claims.expiresAt.getTime() / 1000), 33);
  return sealSignedToken(layout(key), payload);
}

/** Checks a preview token's shape, signature (constant time) and expiry at `now`; never throws. */
export function verifyPreviewToken(key: Uint8Array, token: string, now: Date): PreviewCheck {
  const opened = openSignedToken(layout(key), token);
  if (!opened.ok) return opened;
  const { payload } = opened;
  const expiresAt = new Date(payload.readUInt32BE(33) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, claims: { hash: payload.subarray(1, 33).toString('hex'), expiresAt } };
}

function mac(key: Uint8Array, payload: Uint8Array): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}
