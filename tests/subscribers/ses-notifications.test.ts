import { readFile } from 'node:fs/promises';
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
      expect(parseSesNotification(messageOf(await fixture(name)), new Date())).toEqual({
        kind: 'other',
        type: 'Delivery',
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

describe('functions/ses-notifications handler (s3rver)', () => {
  let s3: LocalS3;
  let bucket: S3ObjectStore;
  let handler: (event: SNSEvent) => Promise<void>;
  let store: SubscriberStore;

  beforeAll(async () => {
    s3 = await startTestS3();
    bucket = await freshBucket(s3, 'ses-notifications');
    Object.assign(process.env, {
      TOKEN_SECRET: SECRET,
      RELEASES_BUCKET: bucket.bucket,
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    ({ handler } = await import('../../functions/ses-notifications.js'));
    store = new SubscriberStore(bucket);
  });
  afterAll(() => s3.stop());

  test('a permanent bounce removes and suppresses the subscriber at once', async () => {
    const hash = await seed(store, 'gone@example.fi');
    await handler(await fixture('ses-bounce-permanent.json'));
    expect(await store.findByAddressHash(hash)).toBeUndefined();
    expect(await store.getAddressState(hash)).toMatchObject({
      suppression: { reason: 'bounce', at: '2025-03-02T07:00:03.512Z' },
    });
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

  test('configuration-set events (eventType) work the same; deliveries change nothing', async () => {
    const gone = [await seed(store, 'gone2@example.fi'), await seed(store, 'gone3@example.fi')];
    const fine = hashAddress(keys, 'fine@example.fi');
    await handler(await fixture('ses-event-delivery.json'));
    await handler(await fixture('ses-delivery.json'));
    expect(await store.findByAddressHash(fine)).toBeDefined();
    expect(await store.getAddressState(fine)).toBeUndefined();
    await handler(await fixture('ses-event-bounce-permanent.json'));
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
});
