import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  newSubscriberId,
  SHARD_COUNT,
  shardOfAddressHash,
  shardOfId,
} from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys, hashAddress, WeakSecretError } from '../../src/subscribers/keys.js';
import { signToken, verifyToken } from '../../src/subscribers/tokens.js';

const keys = deriveSubscriberKeys('test-secret-that-is-long-enough-0123456789');
const otherKeys = deriveSubscriberKeys('another-secret-that-is-long-enough-987654');
const now = new Date('2025-03-01T10:00:00Z');
const inAWeek = new Date('2025-03-08T10:00:00Z');

describe('tokens', () => {
  const id = newSubscriberId(17);

  test('round-trip a confirm token until it expires', () => {
    const token = signToken(keys, { subscriberId: id, purpose: 'confirm', expiresAt: inAWeek });
    expect(token).toMatch(/^[A-Za-z0-9_-]{72}$/);
    expect(verifyToken(keys, token, 'confirm', now)).toEqual({
      ok: true,
      claims: { subscriberId: id, purpose: 'confirm', expiresAt: inAWeek },
    });
    expect(verifyToken(keys, token, 'confirm', new Date('2025-03-08T09:59:59Z')).ok).toBe(true);
    expect(verifyToken(keys, token, 'confirm', inAWeek)).toEqual({ ok: false, problem: 'expired' });
  });

  test('a manage token never expires', () => {
    const token = signToken(keys, { subscriberId: id, purpose: 'manage' });
    const check = verifyToken(keys, token, 'manage', new Date('2099-01-01T00:00:00Z'));
    expect(check).toEqual({ ok: true, claims: { subscriberId: id, purpose: 'manage' } });
  });

  test('is bound to its purpose', () => {
    const manage = signToken(keys, { subscriberId: id, purpose: 'manage' });
    const confirm = signToken(keys, { subscriberId: id, purpose: 'confirm', expiresAt: inAWeek });
    expect(verifyToken(keys, manage, 'confirm', now)).toEqual({ ok: false, problem: 'purpose' });
    expect(verifyToken(keys, confirm, 'manage', now)).toEqual({ ok: false, problem: 'purpose' });
  });

  test('refuses a token signed with another secret', () => {
    const token = signToken(otherKeys, { subscriberId: id, purpose: 'manage' });
    expect(verifyToken(keys, token, 'manage', now)).toEqual({ ok: false, problem: 'signature' });
  });

  test('any changed character breaks the signature', () => {
    const token = signToken(keys, { subscriberId: id, purpose: 'confirm', expiresAt: inAWeek });
    for (let i = 0; i < token.length; i += 1) {
      // Changing the last character may only touch padding bits; swap to a far character.
      const swapped = token[i] === 'A' ? 'Q' : 'A';
      const tampered = token.slice(0, i) + swapped + token.slice(i + 1);
      const check = verifyToken(keys, tampered, 'confirm', now);
      expect(check.ok, `position ${i}`).toBe(false);
    }
  });

  test('never throws on any input and accepts nothing random', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (input) => {
        expect(verifyToken(keys, input, 'manage', now).ok).toBe(false);
      }),
    );
    expect(verifyToken(keys, 'A'.repeat(72), 'manage', now)).toEqual({
      ok: false,
      problem: 'signature',
    });
  });
});

describe('ids and keys', () => {
  test('ids are random, carry their shard, and are unguessable', () => {
    const ids = new Set<string>();
    for (let shard = 0; shard < SHARD_COUNT; shard += 1) {
      const id = newSubscriberId(shard);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(shardOfId(id)).toBe(shard);
      ids.add(id);
    }
    expect(ids.size).toBe(SHARD_COUNT);
    expect(shardOfId('not-an-id')).toBeUndefined();
  });

  test('address hashes are keyed, stable and spread over all shards', () => {
    const a = hashAddress(keys, 'anna@example.fi');
    expect(a).toBe(hashAddress(keys, 'anna@example.fi'));
    expect(a).not.toBe(hashAddress(otherKeys, 'anna@example.fi'));
    expect(a).not.toContain('anna');
    const shards = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      shards.add(shardOfAddressHash(hashAddress(keys, `user${i}@example.fi`)));
    }
    expect(shards.size).toBe(SHARD_COUNT);
  });

  test('refuses a short secret', () => {
    expect(() => deriveSubscriberKeys('short')).toThrow(WeakSecretError);
  });
});
