import { timingSafeEqual } from 'node:crypto';

/**
 * The layout every signed link token shares (subscriber links, preview links):
 * `base64url(payload ‖ MAC(payload))`, the payload's first byte a version.
 */
export interface SignedTokenLayout {
  version: number;
  payloadBytes: number;
  macBytes: number;
  /** The MAC of a payload under the token kind's own key. */
  mac: (payload: Uint8Array) => Buffer;
}

type Opened = { ok: true; payload: Buffer } | { ok: false; problem: 'malformed' | 'signature' };

/** `payload` (its first byte the layout's version) signed, as URL-safe text. */
export function sealSignedToken(layout: SignedTokenLayout, payload: Buffer): string {
  return Buffer.concat([payload, layout.mac(payload)]).toString('base64url');
}

/**
 * The payload of a token whose characters, length, MAC (compared in constant time) and version
 * are right; the claims inside are the caller's to read. Never throws on any input.
 */
export function openSignedToken(layout: SignedTokenLayout, token: string): Opened {
  const bytes = (layout.payloadBytes + layout.macBytes) * (4 / 3);
  if (token.length !== Math.ceil(bytes) || !/^[A-Za-z0-9_-]*$/.test(token)) {
    return { ok: false, problem: 'malformed' };
  }
  const decoded = Buffer.from(token, 'base64url');
  if (decoded.length !== layout.payloadBytes + layout.macBytes) {
    return { ok: false, problem: 'malformed' };
  }
  const payload = decoded.subarray(0, layout.payloadBytes);
  if (!timingSafeEqual(decoded.subarray(layout.payloadBytes), layout.mac(payload))) {
    return { ok: false, problem: 'signature' };
  }
  if (payload[0] !== layout.version) return { ok: false, problem: 'malformed' };
  return { ok: true, payload };
}
