import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { createSubscriptionsApi } from '../../src/subscribers/http/api.js';
import { hashAddress } from '../../src/subscribers/keys.js';
import { ConfirmationLimiter } from '../../src/subscribers/limits.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import en from '../../templates/strings/en.json' with { type: 'json' };
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import sv from '../../templates/strings/sv.json' with { type: 'json' };
import { ConditionalStore } from '../support/conditional-store.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { apiEvent, formPost } from './api-events.js';
import {
  confirmationRecorder,
  keys,
  logRecorder,
  SECRET,
  subscriptionsApiEnv,
  testClock,
} from './helpers.js';

const SITE = 'https://tiedotteet.example.fi';
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

let s3: LocalS3;
let ses: LocalSes;
let bucket: S3ObjectStore;
let handler: Handler;
let store: SubscriberStore;
const logged: string[] = [];

beforeAll(async () => {
  [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
  bucket = await freshBucket(s3, 'api');
  Object.assign(
    process.env,
    subscriptionsApiEnv({
      secret: SECRET,
      bucket: bucket.bucket,
      s3Endpoint: s3.endpoint,
      sesEndpoint: ses.endpoint,
      siteUrl: SITE,
    }),
  );
  ({ handler } = await import('../../functions/subscriptions-api.js'));
  store = new SubscriberStore(bucket);
  for (const level of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([s3.stop(), ses.stop()]);
});
beforeEach(() => ses.clear());

function bodyOf(result: APIGatewayProxyStructuredResultV2): string {
  return String(result.body ?? '');
}

function linkIn(html: string | undefined, path: string): string {
  const match = new RegExp(`href="(${SITE}/api/${path}\\?token=[\\w-]+)"`).exec(html ?? '');
  if (!match?.[1]) throw new Error(`no ${path} link`);
  return match[1];
}

function get(url: string, headers: Record<string, string> = {}) {
  const parsed = new URL(url.replaceAll('&amp;', '&'));
  return handler(
    apiEvent({ method: 'GET', path: parsed.pathname, query: parsed.search.slice(1), headers }),
  );
}

function post(url: string, fields: [string, string][]) {
  const parsed = new URL(url);
  return handler(formPost(parsed.pathname, fields, {}, parsed.search.slice(1)));
}

const form = (email: string, extra: [string, string][] = []): [string, string][] => [
  ['email', email],
  ['lang', 'sv'],
  ['categories', 'tiedote'],
  ['categories', 'blogi'],
  ['frequency', 'weekly'],
  ['website', ''],
  ...extra,
];

describe('subscribe → confirm → manage → unsubscribe through the Lambda handler', () => {
  test('the whole round trip, with neutral answers and one mail', async () => {
    const first = await handler(
      formPost('/api/subscribe', form('Resident@Example.fi'), { referer: `${SITE}/` }),
    );
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers?.['referrer-policy']).toBe('no-referrer');
    expect(bodyOf(first)).toContain('<html lang="sv">');
    expect(bodyOf(first)).toContain(sv.subscription.subscribed.title);

    const [mail] = await ses.emails();
    expect(mail?.destination.to).toEqual(['resident@example.fi']);
    expect(mail?.subject).toBe(sv.mail.confirm.subject.replace('{site}', 'Esimerkkilä'));

    // Asking again at once: the same answer, and no second mail.
    const again = await handler(
      formPost('/api/subscribe', form('resident@example.fi'), { referer: `${SITE}/` }),
    );
    expect(again.statusCode).toBe(first.statusCode);
    expect(bodyOf(again)).toBe(bodyOf(first));
    expect(await ses.emails()).toHaveLength(1);

    const confirmed = await get(linkIn(mail?.body.html, 'confirm'));
    expect(confirmed.statusCode).toBe(200);
    expect(bodyOf(confirmed)).toContain(sv.subscription.confirmed.title);
    const stored = await store.findByAddressHash(hashAddress(keys, 'resident@example.fi'));
    expect(stored).toMatchObject({
      lang: 'sv',
      categories: ['blogi', 'tiedote'],
      frequency: 'weekly',
      consent: { ip: '203.0.113.9', channel: 'html-form', page: `${SITE}/`, lang: 'sv' },
    });

    // Preferences: the page, a change, the export.
    const preferencesUrl = linkIn(bodyOf(confirmed), 'preferences');
    const page = await get(preferencesUrl);
    expect(bodyOf(page)).toContain('resident@example.fi');
    expect(bodyOf(page)).toContain('value="weekly" checked');
    const saved = await post(preferencesUrl, [
      ['action', 'save'],
      ['lang', 'en'],
      ['frequency', 'daily'],
      ['scope', 'all'],
    ]);
    expect(bodyOf(saved)).toContain(en.subscription.preferences.saved);
    expect(await store.findById(stored?.id ?? '')).toMatchObject({
      lang: 'en',
      frequency: 'daily',
      categories: [],
    });
    const exported = await post(preferencesUrl, [['action', 'export']]);
    expect(exported.headers?.['content-disposition']).toMatch(/^attachment/);
    expect(JSON.parse(bodyOf(exported))).toMatchObject({
      subscriber: { address: 'resident@example.fi', consent: { confirmIp: '203.0.113.9' } },
    });

    // Unsubscribe: the GET only shows a button (link scanners follow GETs).
    const unsubscribeUrl = preferencesUrl.replace('/preferences?', '/unsubscribe?');
    const ask = await get(unsubscribeUrl);
    expect(bodyOf(ask)).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await store.findById(stored?.id ?? '')).toBeDefined();
    // RFC 8058 one-click POST, as a mail provider sends it.
    const done = await post(unsubscribeUrl, [['List-Unsubscribe', 'One-Click']]);
    expect(done.statusCode).toBe(200);
    expect(bodyOf(done)).toContain(en.subscription.unsubscribed.title);
    expect(await store.findById(stored?.id ?? '')).toBeUndefined();

    // The handler logged its steps (JSON lines), and none names the resident.
    expect(logged.join('\n')).toContain('"event":"confirm.confirmed"');
    expect(logged.join('\n')).not.toMatch(/resident/i);
  });

  test('JSON sign-ups get JSON; the honeypot gets the same answer and no mail', async () => {
    const json = await handler(
      apiEvent({
        method: 'POST',
        path: '/api/subscribe',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'json@example.fi',
          language: 'en',
          categories: ['tiedote'],
          frequency: 'daily',
        }),
      }),
    );
    expect(json.statusCode).toBe(202);
    expect(JSON.parse(bodyOf(json))).toEqual({
      status: 'pending',
      message: en.subscription.subscribed.body,
    });
    expect((await ses.emails()).map((m) => m.destination.to)).toEqual([['json@example.fi']]);

    await ses.clear();
    const bot = await handler(
      formPost('/api/subscribe', form('victim@example.fi', [['website', 'http://spam']])),
    );
    const human = await handler(formPost('/api/subscribe', form('human@example.fi')));
    expect(bodyOf(bot)).toBe(bodyOf(human));
    expect((await ses.emails()).map((m) => m.destination.to)).toEqual([['human@example.fi']]);
  });

  test('a one-click POST from a mail client works with a multipart body too', async () => {
    await handler(formPost('/api/subscribe', form('multipart@example.fi')));
    const [mail] = await ses.emails();
    const confirmed = await get(linkIn(mail?.body.html, 'confirm'));
    const url = new URL(
      linkIn(bodyOf(confirmed), 'preferences').replace('/preferences?', '/unsubscribe?'),
    );
    const boundary = '----x';
    const result = await handler(
      apiEvent({
        method: 'POST',
        path: url.pathname,
        query: url.search.slice(1),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(
      await store.findByAddressHash(hashAddress(keys, 'multipart@example.fi')),
    ).toBeUndefined();
  });
});

describe('bad requests: a clear 4xx in the visitor language', () => {
  test.each([
    [{ 'accept-language': 'sv-FI,sv;q=0.9,en;q=0.5' }, sv],
    [{ 'accept-language': 'de-DE,en;q=0.5' }, en],
    [{}, fi],
  ])('an invalid address with %j', async (headers, strings) => {
    const fields: [string, string][] = [
      ['email', 'not-an-address'],
      ['frequency', 'daily'],
    ];
    const result = await handler(formPost('/api/subscribe', fields, headers));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toContain(strings.subscription.errors['email-syntax']);
  });

  test('the lang field wins over Accept-Language; JSON gets JSON errors', async () => {
    const result = await handler(
      apiEvent({
        method: 'POST',
        path: '/api/subscribe',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({ email: 'a@example.fi', lang: 'fi', frequency: 'hourly' }),
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(bodyOf(result))).toEqual({
      error: 'frequency',
      message: fi.subscription.errors.frequency,
    });
  });

  test('CR/LF tricks, unknown languages and bad categories are refused', async () => {
    const cases: [string, string][][] = [
      [['email', 'a@example.fi\r\nBcc: b@example.fi']],
      [
        ['email', 'a@example.fi'],
        ['lang', 'de'],
      ],
      [
        ['email', 'a@example.fi'],
        ['categories', '../etc'],
      ],
    ];
    for (const fields of cases) {
      expect((await handler(formPost('/api/subscribe', fields))).statusCode).toBe(400);
    }
    expect(await ses.emails()).toHaveLength(0);
  });

  test('bodies over 10 KB get 413, other media types 415', async () => {
    const big = await handler(
      formPost('/api/subscribe', [
        ['email', 'a@example.fi'],
        ['x', 'y'.repeat(10_300)],
      ]),
    );
    expect(big.statusCode).toBe(413);
    const text = await handler(
      apiEvent({
        method: 'POST',
        path: '/api/subscribe',
        headers: { 'content-type': 'text/plain' },
        body: 'email=a@example.fi',
      }),
    );
    expect(text.statusCode).toBe(415);
  });

  test('unknown paths 404, wrong methods 405, missing or forged tokens 400', async () => {
    expect((await handler(apiEvent({ method: 'GET', path: '/api/nope' }))).statusCode).toBe(404);
    const wrong = await handler(apiEvent({ method: 'GET', path: '/api/subscribe' }));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe('POST');
    expect((await handler(apiEvent({ method: 'GET', path: '/api/confirm' }))).statusCode).toBe(400);
    for (const path of ['/api/confirm', '/api/unsubscribe', '/api/preferences']) {
      const forged = await handler(
        apiEvent({ method: 'GET', path, query: `token=${'A'.repeat(72)}` }),
      );
      expect(forged.statusCode, path).toBe(400);
    }
    const forgedPost = await handler(
      formPost('/api/unsubscribe', [], {}, `token=${'A'.repeat(72)}`),
    );
    expect(forgedPost.statusCode).toBe(400);
  });
});

describe('failures', () => {
  test('an internal error answers a generic 500 and logs without the address', async () => {
    const objects = new ConditionalStore();
    objects.beforeGet = () => {
      throw new Error('S3 exploded while reading for anna@example.fi');
    };
    const logs = logRecorder();
    const api = createSubscriptionsApi({
      subscribers: new SubscriberStore(objects),
      keys,
      clock: testClock(),
      sendConfirmation: confirmationRecorder().send,
      limiter: new ConfirmationLimiter(objects, keys),
      siteUrl: SITE,
      siteTitle: 'Esimerkkilä',
      defaultLang: 'fi',
      log: logs.log,
    });
    const response = await api({
      method: 'POST',
      path: '/api/subscribe',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new TextEncoder().encode('email=anna%40example.fi'),
      sourceIp: '192.0.2.1',
    });
    expect(response.status).toBe(500);
    expect(response.body).toContain(fi.subscription.errors.server);
    expect(response.body).not.toMatch(/exploded|anna|S3/);
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]).toMatchObject({ level: 'error', event: 'api.failed', name: 'Error' });
    expect(JSON.stringify(logs.entries)).not.toContain('anna');
  });
});
