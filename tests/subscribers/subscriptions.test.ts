import { describe, expect, test } from 'vitest';
import { hashAddress } from '../../src/subscribers/keys.js';
import { ConfirmationLimiter, DEFAULT_CONFIRMATION_LIMITS } from '../../src/subscribers/limits.js';
import { SubscriberStore, suppressionKey } from '../../src/subscribers/store.js';
import {
  confirmSubscription,
  exportSubscriberData,
  findManagedSubscriber,
  liftSuppression,
  removeSubscriber,
  requestSubscription,
  type SignupRequest,
  type SubscriptionDeps,
  subscriberLinks,
  updatePreferences,
} from '../../src/subscribers/subscriptions.js';
import { withSuppression } from '../../src/subscribers/suppression.js';
import type { SendConfirmation } from '../../src/subscribers/types.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { confirmationRecorder, FAST_RETRY, keys, logRecorder, testClock } from './helpers.js';

const SITE = 'https://tiedotteet.example.fi';
const origin = { ip: '198.51.100.20', userAgent: 'Firefox' };

function setup(send?: SendConfirmation) {
  const objects = new ConditionalStore();
  const subscribers = new SubscriberStore(objects, FAST_RETRY);
  const clock = testClock();
  const mail = confirmationRecorder();
  const logs = logRecorder();
  const deps: SubscriptionDeps = {
    subscribers,
    keys,
    clock,
    sendConfirmation: send ?? mail.send,
    limiter: new ConfirmationLimiter(objects, keys, DEFAULT_CONFIRMATION_LIMITS, FAST_RETRY),
    siteUrl: SITE,
    log: logs.log,
  };
  return { objects, subscribers, clock, mail, logs, deps };
}

function signup(
  address = 'anna@example.fi',
  overrides: Partial<SignupRequest> = {},
): SignupRequest {
  return {
    address,
    preferences: { lang: 'sv', categories: ['tiedote'], frequency: 'weekly' },
    evidence: {
      ip: '192.0.2.7',
      userAgent: 'Safari',
      channel: 'html-form',
      lang: 'sv',
      page: `${SITE}/`,
    },
    ...overrides,
  };
}

function tokenOf(url: string | undefined): string {
  return new URL(url ?? 'http://x/').searchParams.get('token') ?? '';
}

describe('double opt-in', () => {
  test('a sign-up mails a link; following it confirms, with consent evidence', async () => {
    const { deps, mail, subscribers, objects, clock } = setup();
    expect(await requestSubscription(deps, signup())).toBe('mailed');
    expect(mail.sent).toHaveLength(1);
    const [request] = mail.sent;
    expect(request?.to).toBe('anna@example.fi');
    expect(request?.lang).toBe('sv');
    expect(request?.confirmUrl).toMatch(
      /^https:\/\/tiedotteet\.example\.fi\/api\/confirm\?token=[\w-]{72}$/,
    );
    // Nothing confirmed yet.
    expect(
      await subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi')),
    ).toBeUndefined();

    clock.advance(60_000);
    const outcome = await confirmSubscription(deps, tokenOf(request?.confirmUrl), origin);
    expect(outcome.kind).toBe('confirmed');
    const stored = await subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi'));
    expect(stored).toMatchObject({
      address: 'anna@example.fi',
      lang: 'sv',
      categories: ['tiedote'],
      frequency: 'weekly',
      consent: {
        requestedAt: '2025-03-01T10:00:00.000Z',
        ip: '192.0.2.7',
        userAgent: 'Safari',
        channel: 'html-form',
        page: `${SITE}/`,
        lang: 'sv',
        confirmedAt: '2025-03-01T10:01:00.000Z',
        confirmIp: '198.51.100.20',
        confirmUserAgent: 'Firefox',
      },
    });
    expect([...objects.objects.keys()].some((k) => k.startsWith('subscribers/pending/'))).toBe(
      false,
    );
    // Following the link again (a second click, a link scanner) still says confirmed.
    expect((await confirmSubscription(deps, tokenOf(request?.confirmUrl), origin)).kind).toBe(
      'confirmed',
    );
  });

  test('one confirmation mail per address per 10 minutes', async () => {
    const { deps, mail, clock } = setup();
    expect(await requestSubscription(deps, signup())).toBe('mailed');
    clock.advance(9 * 60_000);
    expect(await requestSubscription(deps, signup('anna@example.fi'))).toBe('throttled');
    expect(await requestSubscription(deps, signup('other@example.fi'))).toBe('mailed');
    clock.advance(60_000);
    expect(await requestSubscription(deps, signup())).toBe('mailed');
    expect(mail.sent.map((m) => m.to)).toEqual([
      'anna@example.fi',
      'other@example.fi',
      'anna@example.fi',
    ]);
  });

  test('a confirmation link expires after 7 days', async () => {
    const { deps, mail, clock, subscribers } = setup();
    await requestSubscription(deps, signup());
    clock.advance(7 * 86_400_000);
    const outcome = await confirmSubscription(deps, tokenOf(mail.sent[0]?.confirmUrl), origin);
    expect(outcome).toEqual({ kind: 'expired' });
    expect(
      await subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi')),
    ).toBeUndefined();
  });

  test('a manage token cannot confirm, and a forged token is invalid', async () => {
    const { deps } = setup();
    const manage = tokenOf(subscriberLinks(keys, SITE, 'AAAAAAAAAAAAAAAAAAAAAA').preferencesUrl);
    expect(await confirmSubscription(deps, manage, origin)).toEqual({ kind: 'invalid' });
    expect(await confirmSubscription(deps, 'x'.repeat(72), origin)).toEqual({ kind: 'invalid' });
  });

  test('subscribing again and confirming replaces preferences but keeps the id', async () => {
    const { deps, mail, clock, subscribers } = setup();
    await requestSubscription(deps, signup());
    await confirmSubscription(deps, tokenOf(mail.sent[0]?.confirmUrl), origin);
    const before = await subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi'));
    clock.advance(11 * 60_000);
    await requestSubscription(
      deps,
      signup('anna@example.fi', {
        preferences: { lang: 'fi', categories: [], frequency: 'immediate' },
      }),
    );
    await confirmSubscription(deps, tokenOf(mail.sent[1]?.confirmUrl), origin);
    const after = await subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi'));
    expect(after?.id).toBe(before?.id);
    expect(after).toMatchObject({ lang: 'fi', categories: [], frequency: 'immediate' });
  });

  test('when the mail cannot be sent, the resident can try again at once', async () => {
    let fail = true;
    const { deps } = setup(async () => {
      if (fail) throw new Error('SES is down for anna@example.fi');
    });
    await expect(requestSubscription(deps, signup())).rejects.toThrow('SES is down');
    fail = false;
    expect(await requestSubscription(deps, signup())).toBe('mailed');
  });
});

describe('unsubscribe, preferences, export, delete', () => {
  async function confirmed() {
    const env = setup();
    await requestSubscription(env.deps, signup());
    await confirmSubscription(env.deps, tokenOf(env.mail.sent[0]?.confirmUrl), origin);
    const s = await env.subscribers.findByAddressHash(hashAddress(keys, 'anna@example.fi'));
    if (!s) throw new Error('not confirmed');
    const links = subscriberLinks(keys, SITE, s.id);
    return { ...env, subscriber: s, token: tokenOf(links.unsubscribeUrl) };
  }

  test('unsubscribing removes the address and keeps only its keyed hash', async () => {
    const { deps, subscriber, token, objects, subscribers } = await confirmed();
    expect(await removeSubscriber(deps, token)).toEqual({ kind: 'removed', lang: 'sv' });
    expect(await subscribers.findById(subscriber.id)).toBeUndefined();
    const everything = [...objects.objects.entries()]
      .map(([key, o]) => key + new TextDecoder().decode(o.body))
      .join('\n');
    expect(everything).not.toContain('anna@example.fi');
    expect(objects.json(suppressionKey(subscriber.addressHash))).toMatchObject({
      suppression: { reason: 'unsubscribed' },
    });
    // Idempotent: a second one-click POST is fine.
    expect(await removeSubscriber(deps, token)).toEqual({ kind: 'removed' });
    expect(await removeSubscriber(deps, 'bogus')).toEqual({ kind: 'invalid' });
  });

  test('an unsubscribed resident may subscribe again through the double opt-in', async () => {
    const { deps, token, mail, clock, subscribers, subscriber, objects } = await confirmed();
    await removeSubscriber(deps, token);
    clock.advance(11 * 60_000);
    expect(await requestSubscription(deps, signup())).toBe('mailed');
    expect((await confirmSubscription(deps, tokenOf(mail.sent[1]?.confirmUrl), origin)).kind).toBe(
      'confirmed',
    );
    expect(await subscribers.findByAddressHash(subscriber.addressHash)).toBeDefined();
    expect(objects.objects.has(suppressionKey(subscriber.addressHash))).toBe(false);
  });

  test('preferences change; the export holds everything stored', async () => {
    const { deps, subscriber, token } = await confirmed();
    expect((await findManagedSubscriber(deps, token))?.id).toBe(subscriber.id);
    const updated = await updatePreferences(deps, subscriber.id, {
      lang: 'en',
      categories: ['blogi', 'tiedote'],
      frequency: 'daily',
    });
    expect(updated).toMatchObject({
      lang: 'en',
      categories: ['blogi', 'tiedote'],
      frequency: 'daily',
    });
    const data = await exportSubscriberData(deps, updated ?? subscriber);
    expect(data.subscriber).toMatchObject({
      address: 'anna@example.fi',
      consent: { ip: '192.0.2.7' },
    });
  });
});

describe('suppressed addresses', () => {
  test('a complained or bounced address gets no mail, not even a confirmation request', async () => {
    for (const reason of ['complaint', 'bounce'] as const) {
      const { deps, mail, subscribers } = setup();
      const hash = hashAddress(keys, 'anna@example.fi');
      await subscribers.updateAddressState(hash, (s) => withSuppression(s, reason, new Date()));
      expect(await requestSubscription(deps, signup())).toBe('suppressed');
      expect(mail.sent).toHaveLength(0);
    }
  });

  test('a confirmation lifts a bounce suppression but never a complaint', async () => {
    const bounce = setup();
    await requestSubscription(bounce.deps, signup());
    const hash = hashAddress(keys, 'anna@example.fi');
    await bounce.subscribers.updateAddressState(hash, (s) =>
      withSuppression(s, 'bounce', new Date()),
    );
    const lifted = await confirmSubscription(
      bounce.deps,
      tokenOf(bounce.mail.sent[0]?.confirmUrl),
      origin,
    );
    expect(lifted.kind).toBe('confirmed');
    expect(await bounce.subscribers.getAddressState(hash)).toBeUndefined();

    const complaint = setup();
    await requestSubscription(complaint.deps, signup());
    await complaint.subscribers.updateAddressState(hash, (s) =>
      withSuppression(s, 'complaint', new Date()),
    );
    const refused = await confirmSubscription(
      complaint.deps,
      tokenOf(complaint.mail.sent[0]?.confirmUrl),
      origin,
    );
    expect(refused).toEqual({ kind: 'refused', lang: 'sv' });
    expect(await complaint.subscribers.findByAddressHash(hash)).toBeUndefined();
  });

  test('staff can lift a suppression; then the double opt-in works again', async () => {
    const { deps, mail, subscribers } = setup();
    const hash = hashAddress(keys, 'anna@example.fi');
    await subscribers.updateAddressState(hash, (s) => withSuppression(s, 'complaint', new Date()));
    await liftSuppression(subscribers, keys, 'anna@example.fi');
    expect(await requestSubscription(deps, signup())).toBe('mailed');
    expect(mail.sent).toHaveLength(1);
  });

  test('log lines never carry the address', async () => {
    const { deps, logs } = setup();
    await requestSubscription(deps, signup());
    await requestSubscription(deps, signup());
    expect(logs.entries.map((e) => e.event)).toEqual(['subscribe.mailed', 'subscribe.throttled']);
    expect(JSON.stringify(logs.entries)).not.toContain('anna');
  });
});
