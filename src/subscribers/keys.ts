import { createHmac, hkdfSync } from 'node:crypto';

/** TOKEN_SECRET is too short to be a key. */
export class WeakSecretError extends Error {
  override readonly name = 'WeakSecretError';
  constructor(readonly minimumBytes: number) {
    super(`The token secret must be at least ${minimumBytes} bytes long`);
  }
}

/** Minimum length, in bytes, of the secret the keys are derived from. */
export const MIN_SECRET_BYTES = 32;

/**
 * Independent keys derived from the one configured secret, so that a token MAC can never be
 * replayed as an address hash or the other way round.
 */
export interface SubscriberKeys {
  /** Key of the HMAC that signs tokens. */
  readonly tokenKey: Uint8Array;
  /** Key of the HMAC that turns an address into an opaque, stable identifier. */
  readonly addressKey: Uint8Array;
}

/**
 * Derives the subscriber keys (HKDF-SHA256) from the configured secret.
 * Changing the secret voids every token *and* every stored address hash (suppressions), so it is
 * rotated only together with a migration of `subscribers/`.
 *
 * @throws {WeakSecretError} when the secret is shorter than {@link MIN_SECRET_BYTES}.
 */
export function deriveSubscriberKeys(secret: string): SubscriberKeys {
  const secretBytes = Buffer.from(secret, 'utf8');
  if (secretBytes.length < MIN_SECRET_BYTES) throw new WeakSecretError(MIN_SECRET_BYTES);
  const derive = (info: string) =>
    new Uint8Array(hkdfSync('sha256', secretBytes, 'newsroom/subscribers', info, 32));
  return { tokenKey: derive('token v1'), addressKey: derive('address-hash v1') };
}

/**
 * The keyed hash of a normalized address (HMAC-SHA256, base64url, 43 characters): what object keys,
 * suppressions and logs use instead of the address. Without the secret it cannot be reversed by
 * hashing a list of known addresses.
 */
export function hashAddress(keys: SubscriberKeys, normalizedAddress: string): string {
  return createHmac('sha256', keys.addressKey)
    .update(normalizedAddress, 'utf8')
    .digest('base64url');
}
