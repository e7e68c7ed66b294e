import { domainToUnicode } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { escapeHtml } from '../../src/shared/text.js';
import { parseAddress } from '../../src/subscribers/address.js';
import { idFromBytes } from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys, hashAddress } from '../../src/subscribers/keys.js';
import { SUBSCRIBERS_PREFIX, SubscriberStore } from '../../src/subscribers/store.js';
import { withSuppression } from '../../src/subscribers/suppression.js';
import { signToken } from '../../src/subscribers/tokens.js';
import en from '../../templates/strings/en.json' with { type: 'json' };
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import sv from '../../templates/strings/sv.json' with { type: 'json' };
import { apiEvent } from '../subscribers/api-events.js';
import { subscriptionsApiEnv } from '../subscribers/helpers.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { type SubscribeServer, startSubscribeServer } from '../support/subscribe-server.js';

/**
 * Hostile requests against the real subscriptions handler (functions/subscriptions-api.ts) over
 * HTTP on loopback, with s3rver and aws-ses-v2-local behind it. For each: a clear 4xx in the
 * visitor's language (or the neutral answer, where that is the design), nothing internal in the
 * answer, no address echoed, no mail, no subscriber data written.
 */

const SECRET = 'a-hostile-test-secret-of-at-least-32-bytes-01';
const keys = deriveSubscriberKeys(SECRET);
const STRINGS = { fi, sv, en } as const;
type Lang = keyof typeof STRINGS;
type ErrorCode = keyof typeof fi.subscription.errors;

let s3: LocalS3;
let ses: LocalSes;
let server: SubscribeServer;
let bucket: S3ObjectStore;
let store: SubscriberStore;
let invoke: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
const logged: string[] = [];

/** A confirmed resident, for the token tests. */
const resident = { address: 'asukas@example.fi', id: '', manageToken: '', confirmToken: '' };

beforeAll(async () => {
  [s3, ses, server] = await Promise.all([startTestS3(), startLocalSes(), startSubscribeServer()]);
  bucket = await freshBucket(s3, 'hostile');
  store = new SubscriberStore(bucket);
  Object.assign(process.env, {
    ...subscriptionsApiEnv({
      secret: SECRET,
      bucket: bucket.bucket,
      s3Endpoint: s3.endpoint,
      sesEndpoint: ses.endpoint,
      siteUrl: server.url,
    }),
    ALLOWED_ORIGINS: 'https://www.esimerkkila.fi',
  });
  const { handler } = await import('../../functions/subscriptions-api.js');
  invoke = handler;
  server.setHandler(handler);
  for (const level of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  // One real subscriber, through the real double opt-in.
  await ses.clear();
  await post('/api/subscribe', form({ email: resident.address, lang: 'fi' }));
  const [mail] = await ses.emails();
  const confirmUrl = /href="([^"]*\/api\/confirm\?token=[\w-]+)"/.exec(mail?.body.html ?? '')?.[1];
  resident.confirmToken = new URL(confirmUrl ?? 'http://x/').searchParams.get('token') ?? '';
  const confirmed = await get(
    new URL(confirmUrl ?? '').pathname + new URL(confirmUrl ?? '').search,
  );
  const manage = /\/api\/preferences\?token=([\w-]+)/.exec(confirmed.text)?.[1];
  resident.manageToken = manage ?? '';
  const stored = await store.findByAddressHash(hashAddress(keys, resident.address));
  resident.id = stored?.id ?? '';
  if (!resident.id || !resident.manageToken) throw new Error('the resident did not get subscribed');
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([s3?.stop(), ses?.stop(), server?.stop()]);
});

beforeEach(async () => {
  await ses.clear();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function request(
  method: string,
  path: string,
  init: {
    headers?: Record<string, string>;
    body?: string | Uint8Array | ReadableStream<Uint8Array>;
  } = {},
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: init.headers,
    body: init.body,
    redirect: 'manual',
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const get = (path: string, headers: Record<string, string> = {}) =>
  request('GET', path, { headers });

function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return request('POST', path, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

function postJson(path: string, body: string, headers: Record<string, string> = {}) {
  return post(path, body, { 'content-type': 'application/json', ...headers });
}

function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** Every object under `subscribers/` with its ETag: what a request must leave untouched. */
async function subscriberData(): Promise<string[]> {
  const objects: string[] = [];
  for await (const summary of bucket.list(SUBSCRIBERS_PREFIX)) {
    objects.push(`${summary.key} ${summary.etag}`);
  }
  return objects;
}

/** Words that only an internal error would put in an answer. */
/**
 * The subscribe form's error page gives the visitor back what they typed, HTML-escaped, as the
 * value of its address field (docs/subscriptions.md): that one attribute is the visitor's own
 * input, not a leak. Everything else in the answer is checked.
 */
function withoutTypedAddress(text: string): string {
  return text.replace(/(<input id="email" name="email"[^>]*? value=")[^"]*(")/, '$1$2');
}

function expectNothingInternal(answer: Answer, secrets: readonly string[] = []): void {
  const everything = `${withoutTypedAddress(answer.text)}\n${[...answer.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  for (const leak of [
    bucket.bucket,
    'subscribers/',
    'S3',
    'stack',
    'Error:',
    'TypeError',
    'ENOENT',
    'undefined',
    '/work/',
    'node_modules',
    '.ts:',
    SECRET,
    resident.address,
    ...secrets,
  ]) {
    expect(everything, `the answer leaks ${JSON.stringify(leak)}`).not.toContain(leak);
  }
  expect(everything).not.toMatch(/\bat [\w.<>]+ \(/);
}

/**
 * Runs a hostile request and checks the common promises: the status, the message in `lang` (HTML
 * or JSON like the request), nothing internal, no mail, no subscriber data written or changed.
 */
async function expectRefused(
  send: () => Promise<Answer>,
  expected: {
    status: number;
    /** The problem answered; with several, any one of them. */
    code?: ErrorCode | ErrorCode[];
    lang?: Lang;
    json?: boolean;
    secrets?: string[];
  },
): Promise<Answer> {
  const before = await subscriberData();
  const answer = await send();
  expect(answer.status).toBe(expected.status);
  const lang = expected.lang ?? 'fi';
  const codes = expected.code === undefined ? [] : [expected.code].flat();
  if (codes.length > 0) {
    const messages = codes.map((code) => STRINGS[lang].subscription.errors[code]);
    if (expected.json) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      const { error, message } = JSON.parse(answer.text) as { error: ErrorCode; message: string };
      expect(codes).toContain(error);
      expect(message).toBe(STRINGS[lang].subscription.errors[error]);
    } else {
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('content-language')).toBe(lang);
      expect(answer.text).toContain(`<html lang="${lang}">`);
      expect(messages.some((message) => answer.text.includes(escapeHtml(message)))).toBe(true);
    }
  }
  expectNothingInternal(answer, expected.secrets);
  expect(await ses.emails()).toEqual([]);
  expect(await subscriberData()).toEqual(before);
  return answer;
}

describe('oversized bodies', () => {
  it('a form one byte over 10 KB gets 413 in the visitor language; exactly 10 KB is read', async () => {
    const base = form({ email: 'iso@example.fi', website: 'x' });
    const exact = `${base}&pad=${'a'.repeat(10_240 - base.length - 5)}`;
    expect(exact.length).toBe(10_240);
    const accepted = await post('/api/subscribe', exact);
    // The honeypot is filled: the neutral answer, nothing sent.
    expect(accepted.status).toBe(200);
    await expectRefused(() => post('/api/subscribe', `${exact}a`, { 'accept-language': 'sv' }), {
      status: 413,
      code: 'too-large',
      lang: 'sv',
      secrets: ['iso@example.fi'],
    });
  });

  it('a 1 MB JSON body, and a streamed body without Content-Length, get 413', async () => {
    await expectRefused(
      () =>
        postJson(
          '/api/subscribe',
          JSON.stringify({ email: 'a@example.fi', x: 'y'.repeat(1 << 20) }),
          {
            'accept-language': 'en',
          },
        ),
      { status: 413, code: 'too-large', lang: 'en', json: true },
    );
    const chunks = [form({ email: 'b@example.fi' }), '&x=', 'z'.repeat(20_000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    await expectRefused(
      () =>
        request('POST', '/api/subscribe', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: stream,
        }),
      { status: 413, code: 'too-large' },
    );
  });

  it('a lying Content-Length is refused whichever way it lies', async () => {
    const body = form({ email: 'c@example.fi', x: 'y'.repeat(12_000) });
    for (const declared of ['100', '999999999', '-1', 'abc']) {
      const before = await subscriberData();
      const result = await invoke(
        apiEvent({
          method: 'POST',
          path: '/api/subscribe',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': declared,
          },
          body,
        }),
      );
      expect(result.statusCode, declared).toBe(413);
      expect(await subscriberData()).toEqual(before);
    }
    expect(await ses.emails()).toEqual([]);
  });
});

describe('malformed and mistyped bodies', () => {
  it('bytes that are not UTF-8 are a 400, not a crash', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('email=a%40example.fi&x='),
      0xff,
      0xfe,
      0xc3,
    ]);
    await expectRefused(() => post('/api/subscribe', bytes), { status: 400, code: 'body' });
  });

  it.each([
    ['unterminated', '{"email":'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a bare string', '"a@example.fi"'],
    ['a trailing comma', '{"email":"a@example.fi",}'],
    ['two documents', '{"email":"a@example.fi"}{"email":"b@example.fi"}'],
    ['deep nesting', `{"email":${'['.repeat(4000)}${']'.repeat(4000)}}`],
    ['an object for the address', '{"email":{"$ne":null}}'],
    ['a number for the address', '{"email":358401234567}'],
    ['numbers for categories', '{"email":"a@example.fi","categories":[1,2]}'],
    ['an object for categories', '{"email":"a@example.fi","categories":{"__proto__":{"x":1}}}'],
  ])('JSON with %s is a 400 in JSON', async (_what, body) => {
    await expectRefused(() => postJson('/api/subscribe', body, { 'accept-language': 'sv' }), {
      status: 400,
      code: 'body',
      lang: 'sv',
      json: true,
      secrets: ['a@example.fi', 'b@example.fi'],
    });
  });

  it.each([
    ['two addresses in an array', '{"email":["a@example.fi","b@example.fi"]}'],
    ['one address in an array', '{"email":["a@example.fi"]}'],
    ['a language list', '{"email":"a@example.fi","lang":["fi","sv"]}'],
  ])('JSON with %s where one value is expected is a 400, not a guess', async (_what, body) => {
    await expectRefused(() => postJson('/api/subscribe', body), {
      status: 400,
      code: 'body',
      json: true,
      secrets: ['a@example.fi', 'b@example.fi'],
    });
  });

  it.each([
    ['a number for the address', '{"email":358401234567}', 'email'],
    [
      'a number among the categories',
      '{"email":"a@example.fi","categories":["tiedote",2]}',
      'categories',
    ],
    ['a language list', '{"email":"a@example.fi","lang":["fi","sv"]}', 'lang'],
    ['the address twice', '{"email":"a@example.fi","email":"b@example.fi"}', 'email'],
  ])('a JSON body with %s names the field in its 400', async (_what, body, field) => {
    const answer = await expectRefused(() => postJson('/api/subscribe', body), {
      status: 400,
      code: 'body',
      json: true,
      secrets: ['a@example.fi', 'b@example.fi'],
    });
    expect((JSON.parse(answer.text) as { field?: string }).field).toBe(field);
  });

  it('a form naming the address twice is a 400, not a mail to one of them', async () => {
    await expectRefused(
      () => post('/api/subscribe', form({ email: ['a@example.fi', 'b@example.fi'] })),
      { status: 400, code: 'body', secrets: ['a@example.fi', 'b@example.fi'] },
    );
  });

  it('bracketed and prototype-polluting field names change nothing', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    await expectRefused(
      () =>
        post(
          '/api/subscribe',
          'email[]=a%40example.fi&__proto__[polluted]=1&constructor[prototype][polluted]=1',
        ),
      { status: 400, code: 'email-empty', secrets: ['a@example.fi'] },
    );
    await expectRefused(
      () =>
        postJson(
          '/api/subscribe',
          '{"__proto__":{"email":"a@example.fi","polluted":1},"constructor":{"prototype":{"polluted":1}}}',
        ),
      { status: 400, code: 'email-empty', json: true, secrets: ['a@example.fi'] },
    );
    await expectRefused(() => get('/api/confirm?__proto__[polluted]=1&token[]=x'), {
      status: 400,
      code: 'token',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it.each([
    ['text/plain', 'email=a@example.fi'],
    ['application/xml', '<email>a@example.fi</email>'],
    ['text/html', '<form>'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.fi\r\n--x--\r\n',
    ],
    ['multipart/form-data; boundary=', '--\r\nbroken'],
    ['application/x-www-form-urlencoded-but-not', 'email=a%40example.fi'],
    ['', 'email=a%40example.fi'],
  ])('Content-Type %j is a 415', async (type, body) => {
    // Bytes, so that fetch adds no Content-Type of its own when there is none.
    const bytes = new TextEncoder().encode(body);
    await expectRefused(
      () =>
        request('POST', '/api/subscribe', {
          headers: type ? { 'content-type': type } : {},
          body: bytes,
        }),
      { status: 415, code: 'media-type', secrets: ['a@example.fi'] },
    );
  });

  it('a form body declared as JSON, and JSON declared as a form, are 400s', async () => {
    await expectRefused(() => postJson('/api/subscribe', form({ email: 'a@example.fi' })), {
      status: 400,
      code: 'body',
      json: true,
      secrets: ['a@example.fi'],
    });
    await expectRefused(() => post('/api/subscribe', '{"email":"a@example.fi"}'), {
      status: 400,
      code: 'email-empty',
      secrets: ['a@example.fi'],
    });
  });
});

describe('header injection and overlong addresses', () => {
  it.each([
    ['CR LF Bcc', 'a@example.fi\r\nBcc: x@example.com'],
    ['LF only', 'a@example.fi\nBcc: x@example.com'],
    ['CR only', 'a@example.fi\rBcc: x@example.com'],
    ['percent-encoded CR LF, decoded once by the form', 'a@example.fi%0d%0aBcc:x@example.com'],
    ['a NUL byte', 'a@example.fi\u0000x@example.com'],
    ['a vertical tab', 'a@example.fi\u000bx@example.com'],
    ['NEL', 'a@example.fi\u0085Bcc: x@example.com'],
    ['LINE SEPARATOR', 'a@example.fi\u2028Bcc: x@example.com'],
    ['PARAGRAPH SEPARATOR', 'a@example.fi\u2029Bcc: x@example.com'],
    ['an encoded word', '=?utf-8?q?a=0D=0ABcc:x@example.com?='],
    ['a display name', 'Aino <a@example.fi>'],
    ['a list', 'a@example.fi, x@example.com'],
    ['a semicolon list', 'a@example.fi;x@example.com'],
    ['a quoted local part', '"a\r\nBcc: x"@example.com'],
    ['a comment', 'a(Bcc: x@example.com)@example.fi'],
    ['a right-to-left override in the domain', 'a@exam\u202eelp.fi'],
    ['a zero-width space in the domain', 'a@exa\u200bmple.fi'],
    ['an IP literal', 'a@[127.0.0.1]'],
    ['no domain dot', 'a@localhost'],
  ])('%s in the address is a 400 and no mail', async (_what, address) => {
    const code: ErrorCode[] = ['email-syntax', 'email-domain'];
    const secrets = ['x@example.com', 'Bcc', address];
    // Given back only as the address field's value (a quote in it would end the attribute early
    // and leave the rest in the page, where the secrets check finds it).
    await expectRefused(() => post('/api/subscribe', form({ email: address, lang: 'en' })), {
      status: 400,
      code,
      lang: 'en',
      secrets,
    });
    await expectRefused(
      () => postJson('/api/subscribe', JSON.stringify({ email: address, lang: 'sv' })),
      { status: 400, code, lang: 'sv', json: true, secrets },
    );
  });

  it('overlong addresses get their own message; a 5,000-character one costs nothing', async () => {
    await expectRefused(
      () => post('/api/subscribe', form({ email: `${'a'.repeat(65)}@example.fi` })),
      { status: 400, code: 'email-local-too-long' },
    );
    await expectRefused(
      () =>
        post(
          '/api/subscribe',
          form({
            // Every label legal, 309 characters in all.
            email: `a@${Array.from({ length: 5 }, (_, i) => String(i).repeat(60)).join('.')}.fi`,
          }),
        ),
      { status: 400, code: 'email-too-long' },
    );
    await expectRefused(
      () => post('/api/subscribe', form({ email: `${'a'.repeat(4_990)}@example.fi` })),
      { status: 400, code: 'email-too-long' },
    );
  });
});

describe('abuse of the sign-up', () => {
  it('the honeypot gets the same answer as a person, and nothing happens', async () => {
    const person = await post('/api/subscribe', form({ email: 'ihminen@example.fi', lang: 'sv' }));
    expect(person.status).toBe(200);
    expect((await ses.emails()).map((m) => m.destination.to)).toEqual([['ihminen@example.fi']]);
    await ses.clear();
    for (const body of [
      form({ email: 'botti@example.fi', lang: 'sv', website: 'http://spam.example' }),
      form({ email: 'botti@example.fi', lang: 'sv', website: ['', 'x'] }),
    ]) {
      const bot = await expectRefused(() => post('/api/subscribe', body), {
        status: 200,
        secrets: ['botti@example.fi', 'spam.example'],
      });
      expect(bot.text).toBe(person.text);
    }
    const json = await expectRefused(
      () => postJson('/api/subscribe', JSON.stringify({ email: 'botti@example.fi', website: 'x' })),
      { status: 202 },
    );
    expect(JSON.parse(json.text)).toEqual({
      status: 'pending',
      message: fi.subscription.subscribed.body,
    });
  });

  it('list bombing one mailbox under many spellings sends one confirmation', async () => {
    const spellings = [
      'uhri@example.fi',
      'UHRI@EXAMPLE.FI',
      '  Uhri@Example.fi\t',
      'uhri@example.fi.',
      'uhri@EXAMPLE.fi',
    ];
    const answers = new Set<string>();
    for (const email of spellings) {
      const answer = await post('/api/subscribe', form({ email, lang: 'fi' }));
      expect(answer.status).toBe(200);
      answers.add(answer.text);
    }
    expect(answers.size).toBe(1);
    expect((await ses.emails()).map((m) => m.destination.to)).toEqual([['uhri@example.fi']]);
  });

  it.each([
    ['plus-tag', Array.from({ length: 25 }, (_, i) => `kohde+${i}@example.fi`), 'kohde'],
    [
      'dot (Gmail)',
      [
        ...['k.ohde', 'ko.hde', 'koh.de', 'kohd.e', 'k.o.h.d.e', 'K.O.H.D.E', 'kohde'].flatMap(
          (l) => [`${l}@gmail.com`, `${l}@googlemail.com`, `${l}+x@gmail.com`],
        ),
        'k.ohde+1@googlemail.com',
        'ko.hde+2@gmail.com',
        'KOHDE@GMAIL.COM',
        'kohde+3@GoogleMail.com',
      ],
      'kohde',
    ],
    [
      'IDN',
      [
        ...Array.from({ length: 8 }, (_, i) => `kohde+${i}@bücher.example`),
        ...Array.from({ length: 8 }, (_, i) => `Kohde+i${i}@XN--BCHER-KVA.example`),
        ...Array.from({ length: 9 }, (_, i) => `kohde+u${i}@BÜCHER.example`),
      ],
      'kohde',
    ],
  ])(
    'list bombing with 25 simultaneous %s variants of one mailbox sends one confirmation',
    async (_kind, spellings, local) => {
      expect(spellings).toHaveLength(25);
      const answers = await Promise.all(
        spellings.map((email) => post('/api/subscribe', form({ email, lang: 'fi' }))),
      );
      expect(answers.map((a) => a.status)).toEqual(spellings.map(() => 200));
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      const sent = await ses.emails();
      expect(sent).toHaveLength(1);
      // Mailed as typed (normalized only in case and IDN), not as the counting form.
      const to = sent[0]?.destination.to[0] ?? '';
      const typed = spellings.flatMap((spelling) => {
        const parsed = parseAddress(spelling);
        if (!parsed.ok) return [];
        const [name, domain] = parsed.address.split('@');
        return [parsed.address, `${name}@${domainToUnicode(domain ?? '')}`];
      });
      expect(typed).toContain(to);
      expect(to.replaceAll('.', '')).toContain(local);
    },
  );

  it('an RFC 2047 encoded word as the local part is a 400 and no mail', async () => {
    for (const email of [
      '=?utf-8?q?a=40evil.example?=@example.org',
      '=?utf-8?b?YUBldmlsLmV4YW1wbGU=?=@example.org',
      'a=?x@example.org',
    ]) {
      await expectRefused(() => post('/api/subscribe', form({ email, lang: 'en' })), {
        status: 400,
        code: 'email-syntax',
        lang: 'en',
        secrets: [email],
      });
    }
  });

  it('the answer does not tell a new, a subscribed and a suppressed address apart', async () => {
    await store.updateAddressState(hashAddress(keys, 'valittaja@example.fi'), (state) =>
      withSuppression(state, 'complaint', new Date()),
    );
    const bodies = new Set<string>();
    for (const email of ['uusi-osoite@example.fi', resident.address, 'valittaja@example.fi']) {
      const answer = await post('/api/subscribe', form({ email, lang: 'en' }));
      expect(answer.status).toBe(200);
      bodies.add(answer.text);
    }
    expect(bodies.size).toBe(1);
    // The resident had a confirmation minutes ago (throttled); the complainer gets nothing at all.
    const recipients = (await ses.emails()).map((m) => m.destination.to[0]);
    expect(recipients).toEqual(['uusi-osoite@example.fi']);
  });
});

describe('forged tokens', () => {
  /** The resident's manage token with one bit flipped at `byte`. */
  function flipped(token: string, byte: number): string {
    const bytes = Buffer.from(token, 'base64url');
    bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
    return bytes.toString('base64url');
  }

  async function expectTokenRefused(token: string, status = 400) {
    const page = status === 410 ? fi.subscription.expired : fi.subscription.invalid;
    const query = `?token=${encodeURIComponent(token)}`;
    const checks: [string, () => Promise<Answer>][] = [
      ['GET preferences', () => get(`/api/preferences${query}`)],
      [
        'POST preferences delete',
        () => post(`/api/preferences${query}`, form({ action: 'delete' })),
      ],
      [
        'POST preferences export',
        () => post(`/api/preferences${query}`, form({ action: 'export' })),
      ],
      [
        'POST one-click unsubscribe',
        () => post(`/api/unsubscribe${query}`, 'List-Unsubscribe=One-Click'),
      ],
      ['GET confirm', () => get(`/api/confirm${query}`)],
    ];
    for (const [what, send] of checks) {
      const answer = await expectRefused(send, { status: what === 'GET confirm' ? status : 400 });
      // "This link does not work" (or, for no token at all, "the link is missing its code").
      const told = [page.title, fi.subscription.invalid.title, fi.subscription.errors.token].map(
        escapeHtml,
      );
      expect(
        told.some((text) => answer.text.includes(text)),
        what,
      ).toBe(true);
    }
    expect(await store.findById(resident.id), 'the resident is still subscribed').toBeDefined();
  }

  it('the real tokens work (the control for everything below)', async () => {
    const page = await get(`/api/preferences?token=${resident.manageToken}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(resident.address);
  });

  it.each([
    ['the version byte', 0],
    ['the purpose byte', 1],
    ['the subscriber id', 9],
    ['the expiry', 19],
    ['the signature', 40],
  ])('one bit flipped in %s', async (_where, byte) => {
    await expectTokenRefused(flipped(resident.manageToken, byte));
  });

  it('a confirmation token used to manage, and a manage token used to confirm', async () => {
    const confirmAsManage = signToken(keys, {
      subscriberId: resident.id,
      purpose: 'confirm',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    for (const path of ['/api/preferences', '/api/unsubscribe']) {
      await expectRefused(
        () => post(`${path}?token=${confirmAsManage}`, form({ action: 'delete' })),
        {
          status: 400,
        },
      );
    }
    await expectRefused(() => get(`/api/confirm?token=${resident.manageToken}`), { status: 400 });
    expect(await store.findById(resident.id)).toBeDefined();
  });

  it('a token signed with another secret, for the real subscriber id', async () => {
    const other = deriveSubscriberKeys('another-secret-that-is-also-32-bytes-long!!');
    await expectTokenRefused(signToken(other, { subscriberId: resident.id, purpose: 'manage' }));
  });

  it.each([
    ['truncated by one', (t: string) => t.slice(0, -1)],
    ['truncated to half', (t: string) => t.slice(0, 36)],
    ['one character longer', (t: string) => `${t}A`],
    ['with base64 padding', (t: string) => `${t}==`],
    ['with a standard-base64 character', (t: string) => `+${t.slice(1)}`],
    ['in upper case', (t: string) => t.toUpperCase()],
    ['with a NUL appended', (t: string) => `${t}\u0000`],
    ['as a path traversal', () => '../../subscribers/shards/00.json'],
    ['empty', () => ''],
  ])('a token %s', async (_what, change) => {
    await expectTokenRefused(change(resident.manageToken));
  });

  it('an expired confirmation token answers 410 with its own message', async () => {
    const expired = signToken(keys, {
      subscriberId: idFromBytes(new Uint8Array(16).fill(7)),
      purpose: 'confirm',
      expiresAt: new Date(Date.now() - 1000),
    });
    await expectRefused(() => get(`/api/confirm?token=${expired}`), { status: 410 });
    const answer = await get(`/api/confirm?token=${expired}`);
    expect(answer.text).toContain(escapeHtml(fi.subscription.expired.title));
  });

  it('a forged token first, the real one second: the first counts', async () => {
    const forged = flipped(resident.manageToken, 40);
    await expectRefused(
      () =>
        post(
          `/api/unsubscribe?token=${forged}&token=${resident.manageToken}`,
          'List-Unsubscribe=One-Click',
        ),
      { status: 400 },
    );
    expect(await store.findById(resident.id)).toBeDefined();
  });

  it('a token in a header or in the body instead of the URL is missing, not accepted', async () => {
    await expectRefused(
      () =>
        request('GET', '/api/preferences', {
          headers: {
            authorization: `Bearer ${resident.manageToken}`,
            cookie: `token=${resident.manageToken}`,
          },
        }),
      { status: 400, code: 'token' },
    );
    await expectRefused(() => post('/api/unsubscribe', form({ token: resident.manageToken })), {
      status: 400,
      code: 'token',
    });
    expect(await store.findById(resident.id)).toBeDefined();
  });
});

describe('unknown paths and methods', () => {
  it.each([
    '/api/',
    '/api/nope',
    '/api/SUBSCRIBE',
    '/api/subscribe.json',
    '/api/subscribe/extra',
    '/api/subscribe%00',
    '/api/subscribe;jsessionid=1',
  ])('%s is a 404 in the visitor language', async (path) => {
    await expectRefused(() => get(path, { 'accept-language': 'en-GB,en;q=0.8' }), {
      status: 404,
      code: 'not-found',
      lang: 'en',
    });
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'GET'])(
    '%s /api/subscribe is a 405 naming POST',
    async (method) => {
      const answer = await expectRefused(
        () =>
          request(method, '/api/subscribe', {
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'accept-language': 'sv',
            },
            ...(method === 'GET' ? {} : { body: form({ email: 'a@example.fi' }) }),
          }),
        { status: 405, code: 'method', lang: 'sv', secrets: ['a@example.fi'] },
      );
      expect(answer.headers.get('allow')).toBe('POST');
    },
  );

  it('methods and paths no browser sends reach the handler raw and are refused too', async () => {
    for (const [method, path, status] of [
      ['TRACE', '/api/subscribe', 405],
      ['FOO', '/api/preferences', 405],
      ['GET', '/api/../api/subscribe', 404],
      ['GET', '/api/%2e%2e/subscribe', 404],
      ['GET', '/api/confirm/../unsubscribe', 404],
    ] as const) {
      const result = await invoke(apiEvent({ method, path }));
      expect(result.statusCode, `${method} ${path}`).toBe(status);
      expect(String(result.body)).not.toMatch(/stack|Error:|subscribers\//);
    }
  });
});

describe('requests from other sites', () => {
  const preferences = () => `/api/preferences?token=${resident.manageToken}`;
  const change = form({ action: 'save', lang: 'sv', frequency: 'weekly', scope: 'all' });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin null (sandboxed frame, privacy redirect)', { origin: 'null' }],
    ['the site on another scheme', { origin: 'https://127.0.0.1:1' }],
    ['no Origin but Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])(
    'a preferences POST with %s and a valid token is a 403 and changes nothing',
    async (_what, headers) => {
      await expectRefused(() => post(preferences(), change, headers), {
        status: 403,
        code: 'origin',
      });
      await expectRefused(
        () =>
          post(preferences(), form({ action: 'delete' }), { ...headers, 'accept-language': 'en' }),
        { status: 403, code: 'origin', lang: 'en' },
      );
    },
  );

  it('a sign-up POSTed from another site is a 403 and no mail', async () => {
    await expectRefused(
      () =>
        post('/api/subscribe', form({ email: 'ristiin@example.fi', lang: 'sv' }), {
          origin: 'https://evil.example',
          'accept-language': 'sv',
        }),
      { status: 403, code: 'origin', lang: 'sv', secrets: ['ristiin@example.fi'] },
    );
  });

  it('the site itself, the configured main website and non-browser clients are served', async () => {
    const siteOrigin = new URL(server.url).origin;
    const variants: Record<string, string>[] = [
      { origin: siteOrigin, 'sec-fetch-site': 'same-origin' },
      { origin: 'https://www.esimerkkila.fi', 'sec-fetch-site': 'cross-site' },
      {},
    ];
    for (const headers of variants) {
      const answer = await post('/api/subscribe', form({ email: 'upotettu@example.fi' }), headers);
      expect(answer.status, JSON.stringify(headers)).toBe(200);
    }
    const saved = await post(
      preferences(),
      form({ action: 'save', lang: 'fi', frequency: 'daily', scope: 'all' }),
      { origin: siteOrigin },
    );
    expect(saved.status).toBe(200);
  });

  it('the RFC 8058 one-click POST works without Origin and from a mail provider', async () => {
    const providers: Record<string, string>[] = [
      {},
      { origin: 'https://mail.example.com', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of providers) {
      const answer = await post(
        `/api/unsubscribe?token=${'A'.repeat(72)}`,
        'List-Unsubscribe=One-Click',
        headers,
      );
      // A forged token: refused for the token, never for the origin.
      expect(answer.status).toBe(400);
    }
  });
});

describe('bodies a browser would never send', () => {
  it.each([
    ['the address twice', '{"email":"a@example.fi","email":"b@example.fi"}'],
    ['the language twice', '{"email":"a@example.fi","lang":"fi","lang":"sv"}'],
    ['a key twice after an escape', '{"email":"a@example.fi","\u0065mail":"b@example.fi"}'],
  ])('JSON with %s is a 400 and no mail', async (_what, body) => {
    await expectRefused(() => postJson('/api/subscribe', body), {
      status: 400,
      code: 'body',
      json: true,
      secrets: ['a@example.fi', 'b@example.fi'],
    });
  });

  it.each([
    ['a line break in the language', { email: 'a@example.fi', lang: 'fi\r\nX: y' }],
    ['a NUL in a category', { email: 'a@example.fi', categories: 'tiedote\u0000' }],
    ['a bell in the honeypot', { email: 'a@example.fi', website: '\u0007' }],
  ])('a form with %s is a 400 and no mail', async (_what, fields) => {
    await expectRefused(() => post('/api/subscribe', form(fields)), {
      status: 400,
      code: 'body',
      secrets: ['a@example.fi'],
    });
  });
});

describe('malformed URLs', () => {
  it.each([
    '//x',
    '//',
    '///',
    '//api/subscribe',
    '/api//subscribe',
    '/api/%',
    '/api/%E0%A4%A',
    '/api/subscribe%',
    '/%2F%2F',
  ])('GET and POST %s answer 4xx, never 500', async (path) => {
    for (const method of ['GET', 'POST']) {
      const result = await invoke(apiEvent({ method, path, query: 'token=%&x=%zz' }));
      expect(result.statusCode, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(result.statusCode, `${method} ${path}`).toBeLessThan(500);
    }
  });
});

describe('every refused request left no trace in the logs', () => {
  it('no log line names an address, a token or the secret', () => {
    const all = logged.join('\n');
    expect(all).not.toContain(resident.address);
    expect(all).not.toContain(resident.manageToken);
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/[\w.+-]+@example\.(fi|com)/);
  });
});
