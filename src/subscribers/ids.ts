import { randomBytes } from 'node:crypto';

/**
 * Number of roster shards. Part of the storage format: ids carry their shard number, so changing
 * it needs a migration of `subscribers/shards/`.
 */
export const SHARD_COUNT = 64;

const ID_BYTES = 16;
const SHARD_MASK = SHARD_COUNT - 1;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new random subscriber id (16 bytes, base64url) that lives in `shard`. The shard number sits in
 * the low six bits of the first byte; the other 122 bits are random, so ids stay unguessable while
 * a token finds its subscriber with one read.
 */
export function newSubscriberId(shard: number, random: (size: number) => Uint8Array = randomBytes) {
  const bytes = Buffer.from(random(ID_BYTES));
  bytes[0] = ((bytes[0] ?? 0) & ~SHARD_MASK & 0xff) | (shard & SHARD_MASK);
  return bytes.toString('base64url');
}

/** Whether `id` has the shape of a subscriber id. */
function isSubscriberId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** The shard a subscriber id lives in, or `undefined` when `id` is not an id. */
export function shardOfId(id: string): number | undefined {
  if (!isSubscriberId(id)) return undefined;
  const first = Buffer.from(id, 'base64url')[0];
  return first === undefined ? undefined : first & SHARD_MASK;
}

/** The shard an address belongs to, from its keyed hash: spread evenly, unpredictable from outside. */
export function shardOfAddressHash(addressHash: string): number {
  return (Buffer.from(addressHash, 'base64url')[0] ?? 0) & SHARD_MASK;
}

/** Id bytes for tokens. */
export function idToBytes(id: string): Uint8Array | undefined {
  return isSubscriberId(id) ? new Uint8Array(Buffer.from(id, 'base64url')) : undefined;
}

/** Id string from token bytes. */
export function idFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
