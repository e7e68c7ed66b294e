import { describe, expect, it } from 'vitest';
import { derivePreviewKey, signPreviewToken, verifyPreviewToken } from '../../src/drafts/token.js';
import { newSubscriberId } from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys } from '../../src/subscribers/keys.js';
import { signToken } from '../../src/subscribers/tokens.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const HASH = 'ab'.repeat(32);
const NOW = new Date('2026-05-14T06:00:00Z');
const WEEK = new Date('2026-05-21T06:00:00Z');

describe('preview tokens', () => {
  const key = derivePreviewKey(SECRET);

  it('names the preview and holds until its expiry, to the second', () => {
    const token = signPreviewToken(key, { hash: HASH, expiresAt: WEEK });
    expect(token).toMatch(/^[A-Za-z0-9_-]{92}$/);
    expect(verifyPreviewToken(key, token, NOW)).toEqual({
      ok: true,
      claims: { hash: HASH, expiresAt: WEEK },
    });
    expect(verifyPreviewToken(key, token, new Date(WEEK.getTime() - 1000)).ok).toBe(true);
    expect(verifyPreviewToken(key, token, WEEK)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a changed token, another secret, and a subscriber token', () => {
    const token = signPreviewToken(key, { hash: HASH, expiresAt: WEEK });
    const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect(verifyPreviewToken(key, flipped, NOW)).toEqual({ ok: false, problem: 'signature' });
    const other = derivePreviewKey(`${SECRET}-other`);
    expect(verifyPreviewToken(other, token, NOW)).toEqual({ ok: false, problem: 'signature' });
    const subscriber = signToken(deriveSubscriberKeys(SECRET), {
      subscriberId: newSubscriberId(0),
      purpose: 'confirm',
      expiresAt: WEEK,
    });
    expect(verifyPreviewToken(key, subscriber, NOW).ok).toBe(false);
    for (const bad of ['', 'x', `${token}=`, token.slice(1), '../../state/x']) {
      expect(verifyPreviewToken(key, bad, NOW)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('will not sign what is not a SHA-256, nor with a short secret', () => {
    expect(() => signPreviewToken(key, { hash: '../x', expiresAt: WEEK })).toThrow(TypeError);
    expect(() => derivePreviewKey('short')).toThrow(/at least 32 bytes/);
  });
});
