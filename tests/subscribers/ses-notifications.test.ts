import { execFileSync } from 'node:child_process';
import { sign as rsaSign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { newSubscriberId, shardOfAddressHash } from '../../src/subscribers/ids.js';
import { hashAddress } from '../../src/subscribers/keys.js';
import {
  applySesFeedback,
  InvalidNotificationError,
  parseSesNotification,
} from '../../src/subscribers/ses-feedback.js';
import { handleSesNotifications } from '../../src/subscribers/ses-notifications.js';
import { type SnsMessage, stringToSign } from '../../src/subscribers/sns.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import { DEFAULT_BOUNCE_POLICY } from '../../src/subscribers/suppression.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { keys, logRecorder, SECRET, subscriber } from './helpers.js';

async function fixture(name: string): Promise<SNSEvent> {
  return JSON.parse(await readFile(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));
}

function messageOf(event: SNSEvent): string {
  return event.Records[0]?.Sns.Message ?? '';
}

/** The fixture's notification with its recipient, timestamp and feedback id replaced. */
async function transient(address: string, at: string, feedbackId: string): Promise<string> {
  const message = JSON.parse(messageOf(await fixture('ses-bounce-transient.json')));
  message.bounce.bouncedRecipients[0].emailAddress = address;
  message.bounce.timestamp = at;
  message.bounce.feedbackId = feedbackId;
  return JSON.stringify(message);
}

async function seed(store: SubscriberStore, address: string) {
  const hash = hashAddress(keys, address);
  await store.upsert(subscriber(newSubscriberId(shardOfAddressHash(hash)), address, hash));
  return hash;
}

describe('parseSesNotification', () => {
  test.each([
    ['ses-bounce-permanent.json', 'permanent-bounce', ['gone@example.fi']],
    ['ses-bounce-transient.json', 'transient-bounce', ['full@example.fi']],
    ['ses-complaint.json', 'complaint', ['angry@example.fi', 'Also.Angry@Example.FI']],
    [
      'ses-event-bounce-permanent.json',
      'permanent-bounce',
      ['gone2@example.fi', 'gone3@example.fi'],
    ],
  ])('%s is a %s for %j', async (name, kind, recipients) => {
    const feedback = parseSesNotification(messageOf(await fixture(name)), new Date());
    expect(feedback).toMatchObject({ kind, recipients });
  });

  test.each(['ses-delivery.json', 'ses-event-delivery.json'])(
    '%s changes nothing',
    async (name) => {
      expect(parseSesNotification(messageOf(await fixture(name)), new Date())).toMatchObject({
        kind: 'other',
        type: 'Delivery',
        source: 'uutiset@esimerkkila.fi',
      });
    },
  );

  test('refuses what is not an SES notification', () => {
    expect(() => parseSesNotification('not json', new Date())).toThrow(InvalidNotificationError);
    expect(() => parseSesNotification('{"hello":1}', new Date())).toThrow(InvalidNotificationError);
    expect(() => parseSesNotification('{"notificationType":"Bounce"}', new Date())).toThrow(
      InvalidNotificationError,
    );
  });

  test('names the message and the field of a malformed notification', () => {
    const bounce = (bounced: unknown) =>
      JSON.stringify({
        notificationType: 'Bounce',
        mail: { source: 'uutiset@esimerkkila.fi' },
        bounce: { bounceType: 'Permanent', bouncedRecipients: bounced },
      });
    const read = (json: string) => () => parseSesNotification(json, new Date(), 'SNS message n-1');
    expect(read(bounce([{ emailAddress: 'a@example.fi' }, { status: '5.1.1' }]))).toThrow(
      /^SNS message n-1: bounce\.bouncedRecipients\[1\]\.emailAddress: Invalid key/,
    );
    expect(read(bounce(undefined))).toThrow(
      /^SNS message n-1: bounce\.bouncedRecipients: Invalid key/,
    );
    expect(read(bounce('gone@example.fi'))).toThrow(
      'SNS message n-1: bounce.bouncedRecipients: Expected a list of recipients',
    );
    expect(read('{"notificationType":"Complaint"}')).toThrow(
      'SNS message n-1: complaint: a Complaint needs its complaint object',
    );
    expect(read('{"eventType":"Delivery","mail":{"source":7}}')).toThrow(
      /^SNS message n-1: mail\.source: Invalid type: Expected string but received 7$/,
    );
    expect(read('"Bounce"')).toThrow(/^SNS message n-1: Invalid type: Expected Object/);
  });
});

describe('transient bounces', () => {
  test('suppress at the third within 30 days, counting each feedback id once', async () => {
    const subscribers = new SubscriberStore(new ConditionalStore());
    const deps = { subscribers, keys, policy: DEFAULT_BOUNCE_POLICY, log: logRecorder().log };
    const hash = await seed(subscribers, 'full@example.fi');
    const apply = async (at: string, id: string) =>
      applySesFeedback(
        deps,
        parseSesNotification(await transient('full@example.fi', at, id), new Date()),
      );

    await apply('2025-01-01T07:00:00Z', 'f1');
    await apply('2025-02-05T07:00:00Z', 'f2'); // 35 days later: f1 has left the window
    await apply('2025-02-05T07:00:00Z', 'f2'); // SNS delivered it twice
    expect(await subscribers.findByAddressHash(hash)).toBeDefined();
    expect((await subscribers.getAddressState(hash))?.transientBounces).toHaveLength(1);

    await apply('2025-02-10T07:00:00Z', 'f3');
    expect(await subscribers.findByAddressHash(hash)).toBeDefined();
    const result = await apply('2025-02-20T07:00:00Z', 'f4');
    expect(result).toEqual({ suppressed: 1, counted: 1, unreadable: 0 });
    expect(await subscribers.findByAddressHash(hash)).toBeUndefined();
    expect((await subscribers.getAddressState(hash))?.suppression?.reason).toBe('bounce');
  });
});

const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:newsroom-dev-ses-notifications';
const CERT_URL = 'https://sns.eu-north-1.amazonaws.com/SimpleNotificationService-test.pem';

/** A key and self-signed certificate made with openssl, standing in for SNS's. */
interface SigningKey {
  key: string;
  certificate: string;
}

async function makeSigningKey(days = 30): Promise<SigningKey> {
  const dir = await mkdtemp(join(tmpdir(), 'sns-key-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=sns.amazonaws.com',
        '-days',
        String(days),
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      certificate: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The event with every record signed by `key` (signature version 1 or 2), certificate at `url`. */
function signed(event: SNSEvent, key: SigningKey, version: '1' | '2' = '1', url = CERT_URL) {
  const copy = structuredClone(event);
  for (const record of copy.Records) {
    const sns = record.Sns as unknown as SnsMessage;
    sns.SignatureVersion = version;
    sns.SigningCertUrl = url;
    sns.Signature = rsaSign(
      version === '1' ? 'sha1' : 'sha256',
      Buffer.from(stringToSign(sns)),
      key.key,
    ).toString('base64');
  }
  return copy;
}

describe('SES notifications through the handler core (s3rver, signed by a test key)', () => {
  let s3: LocalS3;
  let bucket: S3ObjectStore;
  let store: SubscriberStore;
  let snsKey: SigningKey;
  let otherKey: SigningKey;
  const fetched: string[] = [];
  const logs = logRecorder();
  const handle = (event: SNSEvent, configurationSet?: string) =>
    handleSesNotifications(
      {
        subscribers: store,
        keys,
        policy: DEFAULT_BOUNCE_POLICY,
        log: logs.log,
        mailFrom: 'Uutiset@Esimerkkila.fi',
        ...(configurationSet ? { configurationSet } : {}),
        trust: {
          topicArn: TOPIC,
          clock: () => new Date(),
          fetchCertificate: async (url) => {
            fetched.push(url);
            if (url === CERT_URL) return snsKey.certificate;
            throw new Error(`no certificate at ${url}`);
          },
        },
      },
      event,
    );
  const handler = async (event: SNSEvent) => handle(signed(event, snsKey));

  beforeAll(async () => {
    s3 = await startTestS3();
    bucket = await freshBucket(s3, 'ses-notifications');
    store = new SubscriberStore(bucket);
    [snsKey, otherKey] = await Promise.all([makeSigningKey(), makeSigningKey()]);
  });
  afterAll(() => s3.stop());

  test('a permanent bounce removes and suppresses the subscriber at once', async () => {
    const hash = await seed(store, 'gone@example.fi');
    expect(await handler(await fixture('ses-bounce-permanent.json'))).toEqual({
      applied: 1,
      ignored: 0,
    });
    expect(await store.findByAddressHash(hash)).toBeUndefined();
    expect(await store.getAddressState(hash)).toMatchObject({
      suppression: { reason: 'bounce', at: '2025-03-02T07:00:03.512Z' },
    });
    expect(fetched).toEqual([CERT_URL]);
  });

  test('a complaint naming two recipients suppresses both', async () => {
    const first = await seed(store, 'angry@example.fi');
    const second = await seed(store, 'also.angry@example.fi');
    const bystander = await seed(store, 'fine@example.fi');
    await handler(await fixture('ses-complaint.json'));
    for (const hash of [first, second]) {
      expect(await store.findByAddressHash(hash)).toBeUndefined();
      expect((await store.getAddressState(hash))?.suppression?.reason).toBe('complaint');
    }
    expect(await store.findByAddressHash(bystander)).toBeDefined();
  });

  test('a complaint recipient written with a display name is suppressed too', async () => {
    const hash = await seed(store, 'nimi@example.fi');
    const event = await fixture('ses-complaint.json');
    const message = JSON.parse(messageOf(event));
    message.complaint.complainedRecipients = [{ emailAddress: '"Aino Asukas" <Nimi@Example.fi>' }];
    message.mail.source = 'Esimerkkilä <uutiset@esimerkkila.fi>';
    const record = event.Records[0];
    if (record) record.Sns.Message = JSON.stringify(message);
    expect(await handler(event)).toEqual({ applied: 1, ignored: 0 });
    expect((await store.getAddressState(hash))?.suppression?.reason).toBe('complaint');
  });

  test('signature version 2 (SHA256) verifies as well', async () => {
    const hash = await seed(store, 'gone@example.fi');
    const event = signed(await fixture('ses-bounce-permanent.json'), snsKey, '2');
    expect(await handle(event)).toEqual({ applied: 1, ignored: 0 });
    expect(await store.findByAddressHash(hash)).toBeUndefined();
  });

  test('configuration-set events (eventType) work the same; deliveries change nothing', async () => {
    const gone = [await seed(store, 'gone2@example.fi'), await seed(store, 'gone3@example.fi')];
    const fine = hashAddress(keys, 'fine@example.fi');
    await handle(signed(await fixture('ses-event-delivery.json'), snsKey), 'newsroom-dev');
    await handler(await fixture('ses-delivery.json'));
    expect(await store.findByAddressHash(fine)).toBeDefined();
    expect(await store.getAddressState(fine)).toBeUndefined();
    await handle(signed(await fixture('ses-event-bounce-permanent.json'), snsKey), 'newsroom-dev');
    for (const hash of gone) expect(await store.findByAddressHash(hash)).toBeUndefined();
  });

  test('one transient bounce is only counted', async () => {
    const hash = await seed(store, 'full@example.fi');
    await handler(await fixture('ses-bounce-transient.json'));
    expect(await store.findByAddressHash(hash)).toBeDefined();
    expect(await store.getAddressState(hash)).toEqual({
      transientBounces: [
        {
          at: '2025-03-02T07:00:05.120Z',
          feedbackId: '0100018e4b1a3a00-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f902-000000',
        },
      ],
    });
  });

  test('a malformed message fails the invocation so Lambda retries it', async () => {
    const event = await fixture('ses-delivery.json');
    const record = event.Records[0];
    if (record) record.Sns.Message = '{"truncated":';
    await expect(handler(event)).rejects.toThrow(InvalidNotificationError);
  });

  test('a record that is not an SNS message fails the invocation, naming the field', async () => {
    const event = await fixture('ses-delivery.json');
    const record = event.Records[0] as unknown as { Sns: Record<string, unknown> } | undefined;
    if (record) record.Sns.Message = { notificationType: 'Bounce' };
    await expect(handler(event)).rejects.toThrow(
      /^Records\[0\]\.Sns\.Message: Invalid type: Expected string but received Object$/,
    );
  });

  /** A forged or foreign variant of a permanent bounce of `victim@example.fi`. */
  const forgeries: [string, (event: SNSEvent) => SNSEvent | Promise<SNSEvent>][] = [
    [
      'from another topic',
      (e) => withSns(signed(withSns(e, { TopicArn: `${TOPIC}-x` }), snsKey), {}),
    ],
    [
      'a SubscriptionConfirmation',
      (e) => signed(withSns(e, { Type: 'SubscriptionConfirmation' }), snsKey),
    ],
    [
      'an UnsubscribeConfirmation',
      (e) => signed(withSns(e, { Type: 'UnsubscribeConfirmation' }), snsKey),
    ],
    [
      'about mail from another sender',
      (e) => signed(withMail(e, { source: 'spam@example.com' }), snsKey),
    ],
    ['about mail without a sender', (e) => signed(withMail(e, { source: undefined }), snsKey)],
    [
      'from another configuration set',
      (e) => signed(withMail(e, { tags: { 'ses:configuration-set': ['other'] } }), snsKey),
    ],
    ['signed by another key', (e) => signed(e, otherKey)],
    [
      'changed after signing',
      (e) => withMessage(signed(e, snsKey), (m) => m.replace('victim', 'other')),
    ],
    [
      'with its signature cut short',
      (e) => withSignature(signed(e, snsKey), (s) => s.slice(0, 40)),
    ],
    [
      'with an unknown signature version',
      (e) => withSns(signed(e, snsKey), { SignatureVersion: '3' }),
    ],
    [
      'with a certificate on another host',
      (e) => signed(e, otherKey, '1', 'https://sns.eu-north-1.amazonaws.com.evil.example/cert.pem'),
    ],
    [
      'with a certificate from another region',
      (e) => signed(e, otherKey, '1', 'https://sns.us-east-1.amazonaws.com/cert.pem'),
    ],
    [
      'with a certificate over http',
      (e) => signed(e, otherKey, '1', 'http://sns.eu-north-1.amazonaws.com/cert.pem'),
    ],
    [
      'with a certificate URL carrying credentials',
      (e) => signed(e, otherKey, '1', 'https://x@sns.eu-north-1.amazonaws.com/cert.pem'),
    ],
  ];

  test.each(forgeries)('a notification %s is logged and ignored', async (_what, forge) => {
    const hash = await seed(store, 'victim@example.fi');
    const event = await fixture('ses-bounce-permanent.json');
    const record = event.Records[0];
    if (record) {
      const message = JSON.parse(record.Sns.Message);
      message.bounce.bouncedRecipients = [{ emailAddress: 'victim@example.fi' }];
      record.Sns.Message = JSON.stringify(message);
    }
    const before = fetched.length;
    logs.entries.length = 0;
    expect(await handle(await forge(event))).toEqual({ applied: 0, ignored: 1 });
    expect(await store.findByAddressHash(hash)).toBeDefined();
    expect(await store.getAddressState(hash)).toBeUndefined();
    expect(logs.entries).toEqual([
      expect.objectContaining({ level: 'warn', event: 'ses.ignored' }),
    ]);
    // Certificates are only ever fetched from SNS in the topic's region.
    expect(fetched.slice(before).every((url) => url === CERT_URL)).toBe(true);
  });

  test('an expired certificate is refused', async () => {
    const hash = await seed(store, 'victim2@example.fi');
    const expired = handleSesNotifications(
      {
        subscribers: store,
        keys,
        policy: DEFAULT_BOUNCE_POLICY,
        log: logs.log,
        mailFrom: 'uutiset@esimerkkila.fi',
        trust: {
          topicArn: TOPIC,
          clock: () => new Date(Date.now() + 60 * 86_400_000),
          fetchCertificate: async () => snsKey.certificate,
        },
      },
      signed(await fixture('ses-bounce-permanent.json'), snsKey),
    );
    expect(await expired).toEqual({ applied: 0, ignored: 1 });
    expect(await store.getAddressState(hash)).toBeUndefined();
  });
});

function withSns(event: SNSEvent, fields: Partial<SnsMessage>): SNSEvent {
  const copy = structuredClone(event);
  for (const record of copy.Records) Object.assign(record.Sns, fields);
  return copy;
}

function withMessage(event: SNSEvent, change: (message: string) => string): SNSEvent {
  const copy = structuredClone(event);
  for (const record of copy.Records) record.Sns.Message = change(record.Sns.Message);
  return copy;
}

function withMail(event: SNSEvent, fields: Record<string, unknown>): SNSEvent {
  return withMessage(event, (text) => {
    const message = JSON.parse(text);
    message.mail = { ...message.mail, ...fields };
    return JSON.stringify(message);
  });
}

function withSignature(event: SNSEvent, change: (signature: string) => string): SNSEvent {
  const copy = structuredClone(event);
  for (const record of copy.Records) record.Sns.Signature = change(record.Sns.Signature);
  return copy;
}

describe('functions/ses-notifications (its configuration and wiring)', () => {
  let s3: LocalS3;
  let store: SubscriberStore;
  let handler: (event: SNSEvent) => Promise<void>;

  beforeAll(async () => {
    s3 = await startTestS3();
    const bucket = await freshBucket(s3, 'ses-function');
    store = new SubscriberStore(bucket);
    Object.assign(process.env, {
      TOKEN_SECRET: SECRET,
      RELEASES_BUCKET: bucket.bucket,
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      SES_NOTIFICATIONS_TOPIC_ARN: TOPIC,
      MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
    });
    ({ handler } = await import('../../functions/ses-notifications.js'));
  });
  afterAll(() => s3.stop());

  test('applies an unsigned notification from the configured topic, ignores one from another', async () => {
    const unsigned = withSns(await fixture('ses-bounce-permanent.json'), {
      Signature: undefined,
      SigningCertUrl: undefined,
    });
    const hash = await seed(store, 'gone@example.fi');
    await handler(withSns(unsigned, { TopicArn: `${TOPIC}-other` }) as SNSEvent);
    expect(await store.findByAddressHash(hash)).toBeDefined();
    await handler(unsigned);
    expect(await store.findByAddressHash(hash)).toBeUndefined();
  });
});
