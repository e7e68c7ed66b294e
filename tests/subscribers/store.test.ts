import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { ConcurrentUpdateError, CorruptDocumentError } from '../../src/shared/document-store.js';
import { newSubscriberId, SHARD_COUNT, shardOfAddressHash } from '../../src/subscribers/ids.js';
import { hashAddress } from '../../src/subscribers/keys.js';
import { SubscriberStore, shardKey } from '../../src/subscribers/store.js';
import type { Subscriber } from '../../src/subscribers/types.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { countRequests } from '../support/request-counter.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { FAST_RETRY, keys, subscriber } from './helpers.js';

function subscriberFor(address: string): Subscriber {
  const addressHash = hashAddress(keys, address);
  return subscriber(newSubscriberId(shardOfAddressHash(addressHash)), address, addressHash);
}

/** `count` addresses whose records all land in shard 0: the worst case for contention. */
function addressesInOneShard(count: number): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i += 1) {
    const address = `resident${i}@example.fi`;
    if (shardOfAddressHash(hashAddress(keys, address)) === 0) found.push(address);
  }
  return found;
}

describe('SubscriberStore on S3 (s3rver)', () => {
  let s3: LocalS3;
  let bucket: S3ObjectStore;

  beforeAll(async () => {
    s3 = await startTestS3();
    bucket = await freshBucket(s3, 'subscribers');
  });
  afterAll(() => s3.stop());

  test('adds, finds, updates and removes subscribers by id and by address hash', async () => {
    const store = new SubscriberStore(bucket);
    const anna = subscriberFor('anna@example.fi');
    await store.upsert(anna);
    expect(await store.findById(anna.id)).toEqual(anna);
    expect(await store.findByAddressHash(anna.addressHash)).toEqual(anna);

    // Upserting the same address again keeps the id: links in earlier mail keep working.
    const again = { ...subscriberFor('anna@example.fi'), frequency: 'weekly' as const };
    const stored = await store.upsert(again);
    expect(stored.id).toBe(anna.id);
    expect((await store.findById(anna.id))?.frequency).toBe('weekly');

    const updated = await store.update(anna.id, (s) => ({ ...s, lang: 'sv' }));
    expect(updated?.lang).toBe('sv');
    expect(await store.removeByAddressHash(anna.addressHash)).toMatchObject({ id: anna.id });
    expect(await store.findById(anna.id)).toBeUndefined();
    expect(await store.removeById(anna.id)).toBeUndefined();
    expect(await store.update(anna.id, (s) => s)).toBeUndefined();
  });

  test('streams a roster of 100,000 with one GET per shard, lazily', async () => {
    const big = await freshBucket(s3, 'roster');
    // Seed the shards directly: 100,000 sign-ups one by one would test s3rver, not the reader.
    const shards: Subscriber[][] = Array.from({ length: SHARD_COUNT }, () => []);
    for (let i = 0; i < 100_000; i += 1) {
      const s = subscriberFor(`resident${i}@example.fi`);
      shards[shardOfAddressHash(s.addressHash)]?.push(s);
    }
    for (const [n, subscribers] of shards.entries()) {
      await big.put(shardKey(n), JSON.stringify({ format: 1, subscribers }));
    }
    shards.length = 0;

    const counter = countRequests(s3.client);
    counter.reset();
    const store = new SubscriberStore(big);
    const iterator = store.subscribers()[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(counter.snapshot().byCommand).toEqual({ GetObjectCommand: 1 });

    let count = 0;
    const ids = new Set<string>();
    for (let next = first; !next.done; next = await iterator.next()) {
      count += 1;
      ids.add(next.value.id);
    }
    expect(count).toBe(100_000);
    expect(ids.size).toBe(100_000);
    expect(counter.snapshot()).toEqual({
      total: SHARD_COUNT,
      byCommand: { GetObjectCommand: SHARD_COUNT },
    });
  });

  test('no object key names an address', async () => {
    const keysSeen: string[] = [];
    for await (const object of bucket.list('subscribers/')) keysSeen.push(object.key);
    expect(keysSeen.length).toBeGreaterThan(0);
    expect(keysSeen.join('\n')).not.toMatch(/@|example/);
  });
});

describe('SubscriberStore under concurrency (conditional writes enforced)', () => {
  test('simultaneous sign-ups into one shard all survive', async () => {
    const objects = new ConditionalStore();
    const store = new SubscriberStore(objects, FAST_RETRY);
    const addresses = addressesInOneShard(25);
    await Promise.all(addresses.map((a) => store.upsert(subscriberFor(a))));
    const stored = await store.readShard(0);
    expect(stored.map((s) => s.address).sort()).toEqual([...addresses].sort());
    expect(objects.requests.preconditionFailed).toBeGreaterThan(0);
  });

  test('without conditional writes the same race loses sign-ups (what the ETag check prevents)', async () => {
    const objects = new ConditionalStore();
    objects.enforceConditions = false;
    const store = new SubscriberStore(objects, FAST_RETRY);
    const addresses = addressesInOneShard(25);
    await Promise.all(addresses.map((a) => store.upsert(subscriberFor(a))));
    expect((await store.readShard(0)).length).toBeLessThan(addresses.length);
  });

  test('simultaneous unsubscribes and sign-ups in one shard do not undo each other', async () => {
    const objects = new ConditionalStore();
    const store = new SubscriberStore(objects, FAST_RETRY);
    const [stay, leave, join] = [
      addressesInOneShard(30).slice(0, 10),
      addressesInOneShard(30).slice(10, 20),
      addressesInOneShard(30).slice(20),
    ];
    const leaving = await Promise.all(
      [...stay, ...leave].map((a) => store.upsert(subscriberFor(a))),
    );
    await Promise.all([
      ...leaving.filter((s) => leave.includes(s.address)).map((s) => store.removeById(s.id)),
      ...join.map((a) => store.upsert(subscriberFor(a))),
    ]);
    const addresses = (await store.readShard(0)).map((s) => s.address).sort();
    expect(addresses).toEqual([...stay, ...join].sort());
  });

  test('gives up with ConcurrentUpdateError when every write loses', async () => {
    const objects = new ConditionalStore();
    const store = new SubscriberStore(objects, { ...FAST_RETRY, maxAttempts: 4 });
    const [a, b] = addressesInOneShard(2);
    await store.upsert(subscriberFor(a ?? ''));
    // A competing writer changes the shard between every read and write.
    objects.beforePut = (key) => {
      const current = objects.objects.get(key);
      if (current) objects.objects.set(key, { ...current, etag: `"${Math.random()}"` });
    };
    await expect(store.upsert(subscriberFor(b ?? ''))).rejects.toThrow(ConcurrentUpdateError);
    expect(objects.requests.preconditionFailed).toBe(4);
  });

  test('refuses to overwrite a shard it cannot read', async () => {
    const objects = new ConditionalStore();
    await objects.put(shardKey(0), '{"not":"a shard"}');
    const store = new SubscriberStore(objects);
    const [address] = addressesInOneShard(1);
    await expect(store.upsert(subscriberFor(address ?? ''))).rejects.toThrow(CorruptDocumentError);
    expect(objects.json(shardKey(0))).toEqual({ not: 'a shard' });
  });

  test('purges pending sign-ups and throttles past their time', async () => {
    const objects = new ConditionalStore();
    const store = new SubscriberStore(objects);
    await objects.put('subscribers/pending/old.json', '{}');
    await objects.put('subscribers/pending/new.json', '{}');
    await objects.put('subscribers/throttle/old.json', '{}');
    const old = objects.objects.get('subscribers/pending/old.json');
    const oldThrottle = objects.objects.get('subscribers/throttle/old.json');
    if (!old || !oldThrottle) throw new Error('seed failed');
    old.lastModified = new Date(Date.now() - 8 * 86_400_000);
    oldThrottle.lastModified = new Date(Date.now() - 86_400_000);
    const deleted = await store.purgeExpired(new Date(), 7 * 86_400_000, 3_600_000);
    expect(deleted).toBe(2);
    expect([...objects.objects.keys()]).toEqual(['subscribers/pending/new.json']);
  });
});
