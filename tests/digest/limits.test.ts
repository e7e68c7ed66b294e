import { SESClient, SESServiceException } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSendLimits } from '../../src/digest/limits.js';
import { type Timer, TokenBucket } from '../../src/digest/pacing.js';
import { runDigest } from '../../src/digest/run.js';
import { classifySendError } from '../../src/digest/ses-errors.js';
import { sesSendQuota } from '../../src/digest/ses-quota.js';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import { MailSendError } from '../../src/mail/ses-mailer.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { FROM, memoryRoster, recipient, SITE } from './fixtures.js';

let ses: LocalSes;

beforeAll(async () => {
  ses = await startLocalSes();
});

afterAll(async () => {
  await ses?.stop();
});

/** A timer whose time only moves when someone sleeps. */
function virtualTimer(): Timer & { elapsed: number } {
  const timer = {
    elapsed: 0,
    now: () => timer.elapsed,
    sleep: async (ms: number) => {
      timer.elapsed += ms;
    },
  };
  return timer;
}

function sdkError(name: string, message: string, status: number) {
  return new SESServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

describe('send limits', () => {
  it('falls back to the configured rate when GetSendQuota never answers (local SES)', async () => {
    const client = new SESClient({
      endpoint: ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const limits = await resolveSendLimits({
      configuredRate: 14,
      quota: sesSendQuota(client),
      timeoutMs: 300,
    });
    expect(limits).toEqual({ rate: 14, source: 'config' });
    client.destroy();
  });

  it('takes the rate and the daily budget from SES, capped by the configured rate', async () => {
    const quota = async () => ({ maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 49_990 });
    expect(await resolveSendLimits({ quota })).toEqual({
      rate: 14,
      dailyBudget: 10,
      source: 'quota',
    });
    expect(await resolveSendLimits({ configuredRate: 5, quota })).toMatchObject({
      rate: 5,
      dailyBudget: 10,
    });
    expect(await resolveSendLimits({})).toEqual({ rate: 1, source: 'fallback' });
  });

  it('paces sends at the configured rate, shared by concurrent senders', async () => {
    const timer = virtualTimer();
    const bucket = new TokenBucket(50, timer);
    await Promise.all(Array.from({ length: 101 }, () => bucket.take()));
    // 101 sends at 50 per second: the last one leaves 2 s after the first.
    expect(timer.elapsed).toBeCloseTo(2000, 6);
  });

  it('catches up slots lost to a busy loop, but never sends more than the rate in any second', async () => {
    const timer = virtualTimer();
    const bucket = new TokenBucket(10, timer, 5);
    const sent: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      // Now and then the event loop is busy for a while (or the roster had nobody to mail).
      if (i % 17 === 0) timer.elapsed += 700;
      await bucket.take();
      sent.push(timer.elapsed);
    }
    for (const start of sent) {
      expect(sent.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    }
    // The catch-up makes up for the busy spells: 200 sends in not much more than 20 s.
    expect(sent.at(-1)).toBeLessThan(20_000 + 12 * 700);
  });

  it('tells retryable, quota and permanent SES failures apart, through wrappers', () => {
    const wrap = (error: Error) =>
      new MailSendError(`SES SendRawEmail failed: ${error.name}`, { cause: error });
    expect(
      classifySendError(wrap(sdkError('Throttling', 'Maximum sending rate exceeded.', 400))),
    ).toBe('throttled');
    expect(
      classifySendError(wrap(sdkError('Throttling', 'Daily message quota exceeded.', 400))),
    ).toBe('quota');
    expect(classifySendError(wrap(sdkError('ServiceUnavailable', 'try again', 503)))).toBe(
      'transient',
    );
    expect(
      classifySendError(wrap(sdkError('MessageRejected', 'Email address is not verified.', 400))),
    ).toBe('rejected');
    expect(
      classifySendError(wrap(sdkError('MailFromDomainNotVerifiedException', 'not verified', 400))),
    ).toBe('rejected');
    expect(classifySendError(wrap(sdkError('AccountSendingPausedException', 'paused', 400)))).toBe(
      'quota',
    );
    expect(
      classifySendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBe('transient');
    expect(classifySendError(new TypeError('bug'))).toBe('unknown');
  });
});

describe('runDigest', () => {
  it('sends nothing and writes nothing when no release became public in the window', async () => {
    const store = new ConditionalStore();
    const asked: [Date, Date][] = [];
    const result = await runDigest({
      store,
      mailer: { send: async () => Promise.reject(new Error('no mail expected')) },
      roster: memoryRoster([[recipient('a')]]),
      variants: new VariantCache(await loadTemplateSource(), SITE),
      site: SITE,
      mailFrom: FROM,
      clock: () => new Date('2026-11-28T06:01:00Z'),
      frequency: 'weekly',
      releases: {
        publishedBetween: async (since, until) => {
          asked.push([since, until]);
          return [];
        },
      },
    });
    expect(result).toMatchObject({ status: 'nothing-new', runId: 'weekly-2026-11-23' });
    expect(asked).toEqual([[new Date('2026-11-16T06:00:00Z'), new Date('2026-11-23T06:00:00Z')]]);
    expect(store.objects.size).toBe(0);
  });
});
