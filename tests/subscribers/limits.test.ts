import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/subscribers/address.js';
import {
  ConfirmationLimiter,
  type ConfirmationLimits,
  clientNetwork,
  DEFAULT_CONFIRMATION_LIMITS,
  limitMailbox,
  parseRateRules,
} from '../../src/subscribers/limits.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import { requestSubscription, type SubscriptionDeps } from '../../src/subscribers/subscriptions.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { confirmationRecorder, FAST_RETRY, keys, logRecorder, testClock } from './helpers.js';

function normalized(typed: string): string {
  const parsed = parseAddress(typed);
  if (!parsed.ok) throw new Error(`${typed}: ${parsed.problem}`);
  return parsed.address;
}

describe('the mailbox an address reaches', () => {
  it.each([
    ['Uhri+1@Example.fi', 'uhri@example.fi'],
    ['uhri+a+b@example.fi', 'uhri@example.fi'],
    ['u.h.r.i@example.fi', 'u.h.r.i@example.fi'],
    ['U.H.R.I+x@GMail.com', 'uhri@gmail.com'],
    ['uh.ri@googlemail.com', 'uhri@gmail.com'],
    ['uhri@bücher.example', 'uhri@xn--bcher-kva.example'],
    ['uhri@XN--BCHER-KVA.example', 'uhri@xn--bcher-kva.example'],
    ['+tag@example.fi', '+tag@example.fi'],
  ])('%s counts as %s', (typed, mailbox) => {
    expect(limitMailbox(normalized(typed))).toBe(mailbox);
  });
});

describe('client networks', () => {
  it.each([
    ['203.0.113.9', '203.0.113.0/24'],
    ['203.0.113.250', '203.0.113.0/24'],
    ['::ffff:203.0.113.9', '203.0.113.0/24'],
    ['2001:db8:1234:56ff:1::1', '2001:db8:1234:5600::/56'],
    ['2001:0db8:1234:5600:ffff:ffff:ffff:ffff', '2001:db8:1234:5600::/56'],
    ['2001:db8::1', '2001:db8:0:0::/56'],
    ['::1', '0:0:0:0::/56'],
  ])('%s is in %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });

  it('is unknown for what is not an IP address', () => {
    expect(clientNetwork('')).toBeUndefined();
    expect(clientNetwork('example.fi')).toBeUndefined();
    expect(clientNetwork('300.1.1.1')).toBeUndefined();
  });

  it('reads limits as count/duration lists', () => {
    expect(parseRateRules('1/10m, 3/24h')).toEqual(DEFAULT_CONFIRMATION_LIMITS.mailbox);
    expect(parseRateRules('20/1h')).toEqual([{ count: 20, windowMs: 3_600_000 }]);
    for (const bad of ['', '1', '0/1h', '1/x', '1/10m,', 'a/1h']) {
      expect(parseRateRules(bad), bad).toBeUndefined();
    }
  });
});

/**
 * The sign-up core on the in-memory store, which enforces conditions as S3 and the local gate do
 * (tests/adapters/object-store-contract.ts: one of 25 concurrent writers wins on each), recording
 * mail instead of sending it.
 */
async function signups(limits: ConfirmationLimits = DEFAULT_CONFIRMATION_LIMITS) {
  const bucket = new ConditionalStore();
  const mail = confirmationRecorder();
  const logs = logRecorder();
  const clock = testClock();
  const deps: SubscriptionDeps = {
    subscribers: new SubscriberStore(bucket, FAST_RETRY),
    keys,
    clock,
    sendConfirmation: mail.send,
    limiter: new ConfirmationLimiter(bucket, keys, limits, FAST_RETRY),
    siteUrl: 'https://tiedotteet.example.fi',
    log: logs.log,
  };
  const signUp = (typed: string, ip = '198.51.100.7') =>
    requestSubscription(deps, {
      address: normalized(typed),
      preferences: { lang: 'fi', categories: [], frequency: 'daily' },
      evidence: { ip, userAgent: 'test', channel: 'json', lang: 'fi' },
    });
  return { bucket, mail, logs, clock, signUp };
}

describe('confirmation limits under simultaneous sign-ups', () => {
  it('25 simultaneous plus-tag, dot and IDN spellings of one mailbox get one mail, to the address as typed', async () => {
    const { mail, signUp } = await signups();
    const spellings = [
      ...Array.from({ length: 15 }, (_, i) => `uhri+${i}@gmail.com`),
      ...['u.hri', 'uh.ri', 'u.h.r.i', 'uhr.i', 'U.H.RI'].map((l) => `${l}@gmail.com`),
      ...['uhri@googlemail.com', 'uhri+x@googlemail.com', 'UHRI@GMAIL.COM'],
      'u.hri+a@googlemail.com',
      'uhri+b@gmail.com',
    ];
    expect(spellings).toHaveLength(25);
    const outcomes = await Promise.all(spellings.map((typed) => signUp(typed)));
    expect(outcomes.filter((o) => o === 'mailed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(24);
    expect(mail.sent).toHaveLength(1);
    expect(spellings.map(normalized)).toContain(mail.sent[0]?.to);

    const idn = await signups();
    const idnOutcomes = await Promise.all(
      ['asukas@bücher.example', 'asukas@xn--bcher-kva.example', 'Asukas+1@BÜCHER.example'].map(
        (typed) => idn.signUp(typed),
      ),
    );
    expect(idnOutcomes.filter((o) => o === 'mailed')).toHaveLength(1);
    expect(idn.mail.sent.map((m) => m.to)).toHaveLength(1);
  });

  it('a mailbox gets one mail per 10 minutes and three per day', async () => {
    const { mail, clock, signUp } = await signups();
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      outcomes.push(await signUp(`uhri+${i}@example.fi`), await signUp(`uhri+${i}b@example.fi`));
      clock.advance(10 * 60_000);
    }
    expect(outcomes.filter((o) => o === 'mailed')).toHaveLength(3);
    clock.advance(24 * 3_600_000);
    expect(await signUp('uhri@example.fi')).toBe('mailed');
    expect(mail.sent).toHaveLength(4);
  });

  it('a client network gets 20 an hour, counted exactly under 30 simultaneous sign-ups', async () => {
    const { mail, signUp, clock } = await signups();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signUp(`asukas${i}@example.fi`, `203.0.113.${i + 1}`)),
    );
    expect(outcomes.filter((o) => o === 'mailed')).toHaveLength(20);
    // Another /24, and another /56 for IPv6, are not held back; the same /56 is.
    expect(await signUp('toinen@example.fi', '203.0.114.1')).toBe('mailed');
    const v6 = await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        signUp(`v6-${i}@example.fi`, `2001:db8:1234:56${(i + 16).toString(16)}::${i}`),
      ),
    );
    expect(v6.filter((o) => o === 'mailed')).toHaveLength(20);
    expect(await signUp('v6-other@example.fi', '2001:db8:1234:5700::1')).toBe('mailed');
    clock.advance(3_600_000);
    expect(await signUp('myohemmin@example.fi', '203.0.113.77')).toBe('mailed');
    expect(mail.sent).toHaveLength(20 + 1 + 20 + 1 + 1);
  });

  it('the site-wide hourly cap holds under 40 sign-ups from 40 networks, and is logged for the alarm', async () => {
    const limits = { ...DEFAULT_CONFIRMATION_LIMITS, globalPerHour: 12 };
    const { mail, logs, signUp, clock } = await signups(limits);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signUp(`a${i}@example.fi`, `192.0.${i}.1`)),
    );
    expect(outcomes.filter((o) => o === 'mailed')).toHaveLength(12);
    expect(mail.sent).toHaveLength(12);
    const capped = logs.entries.filter((e) => e.event === 'subscribe.global-cap');
    expect(capped).toHaveLength(28);
    expect(capped.every((e) => e.level === 'warn')).toBe(true);
    // Refused sign-ups did not use up their mailbox or network: next hour they go through.
    clock.advance(3_600_000);
    expect(await signUp('a39@example.fi', '192.0.39.1')).toBe('mailed');
  });

  it('a confirmation SES refused gives every limit back', async () => {
    const limits = { ...DEFAULT_CONFIRMATION_LIMITS, globalPerHour: 1 };
    const { bucket, signUp } = await signups(limits);
    const failing = new ConfirmationLimiter(bucket, keys, limits, FAST_RETRY);
    const claim = await failing.claim('uhri@example.fi', '198.51.100.7', testClock()());
    expect(claim.ok).toBe(true);
    if (claim.ok) await claim.slot.release();
    expect(await signUp('uhri@example.fi')).toBe('mailed');
  });
});
