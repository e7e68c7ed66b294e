import type { LogEntry } from '../../src/observability/log.js';
import type { RetryPolicy } from '../../src/shared/document-store.js';
import { deriveSubscriberKeys } from '../../src/subscribers/keys.js';
import type { SendConfirmation, Subscriber } from '../../src/subscribers/types.js';

export const SECRET = 'a-test-secret-of-at-least-32-bytes-0123456789';
export const keys = deriveSubscriberKeys(SECRET);

/** Fast retries for tests that stage many lost races. */
export const FAST_RETRY: RetryPolicy = {
  maxAttempts: 60,
  baseDelayMs: 1,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A settable clock. */
export function testClock(start = '2025-03-01T10:00:00Z') {
  let now = new Date(start);
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  });
}

/** Records confirmation requests instead of mailing them. */
export function confirmationRecorder() {
  const sent: Parameters<SendConfirmation>[0][] = [];
  const send: SendConfirmation = async (request) => {
    sent.push(request);
  };
  return { sent, send };
}

/** Collects log entries. */
export function logRecorder() {
  const entries: LogEntry[] = [];
  return { entries, log: (entry: LogEntry) => entries.push(entry) };
}

/** A subscriber record with the given address hash and id. */
export function subscriber(id: string, address: string, addressHash: string): Subscriber {
  return {
    id,
    address,
    addressHash,
    lang: 'fi',
    categories: [],
    frequency: 'daily',
    consent: {
      requestedAt: '2025-01-01T00:00:00.000Z',
      ip: '192.0.2.1',
      userAgent: 'test',
      channel: 'html-form',
      lang: 'fi',
      confirmedAt: '2025-01-01T00:05:00.000Z',
    },
    updatedAt: '2025-01-01T00:05:00.000Z',
  };
}

/**
 * What functions/subscriptions-api.ts reads from its environment, pointed at the local servers.
 * It answers at once and lets a suite's many sign-ups from loopback through: the padded answer
 * and the limits have their own tests with the defaults.
 */
export function subscriptionsApiEnv(local: {
  secret: string;
  bucket: string;
  s3Endpoint: string;
  sesEndpoint: string;
  siteUrl: string;
}): Record<string, string> {
  return {
    TOKEN_SECRET: local.secret,
    RELEASES_BUCKET: local.bucket,
    S3_ENDPOINT: local.s3Endpoint,
    SES_ENDPOINT: local.sesEndpoint,
    MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
    SITE_URL: local.siteUrl,
    SITE_TITLE: 'Esimerkkilä',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    SUBSCRIBE_ANSWER_MS: '0',
    CONFIRM_LIMIT_NETWORK: '10000/1h',
    CONFIRM_LIMIT_HOURLY: '10000',
  };
}
