import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { S3RVER_CREDENTIALS } from '../../src/local/s3-server.js';
import { PreconditionFailedError } from '../../src/shared/ports.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** A store over its own client, as another process (send-digest --local) would have. */
function otherProcess(bucket: string): S3ObjectStore {
  return new S3ObjectStore(
    createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS }),
    bucket,
  );
}

describe('the local S3 endpoint enforces what S3 enforces, for every client', () => {
  it('answers 412 to a PUT whose If-Match or If-None-Match does not hold', async () => {
    const store = await freshBucket(s3, 'gate');
    const other = otherProcess(store.bucket);
    const { etag } = await store.put('state/doc.json', '{"n":1}', { ifNoneMatch: '*' });
    await expect(
      other.put('state/doc.json', '{"n":2}', { ifNoneMatch: '*' }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(
      other.put('state/doc.json', '{"n":2}', { ifMatch: '"0123456789abcdef0123456789abcdef"' }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await other.put('state/doc.json', '{"n":3}', { ifMatch: etag });
    expect(new TextDecoder().decode((await store.get('state/doc.json'))?.body)).toBe('{"n":3}');
  });

  it('lets exactly one of 25 writers holding the same ETag win', async () => {
    const store = await freshBucket(s3, 'gate');
    const { etag } = await store.put('state/contended.json', '{"n":0}');
    const writers = Array.from({ length: 25 }, (_, i) =>
      otherProcess(store.bucket).put('state/contended.json', `{"n":${i + 1}}`, { ifMatch: etag }),
    );
    const results = await Promise.allSettled(writers);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter(
      (result) => result.status === 'rejected' && result.reason instanceof PreconditionFailedError,
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(24);
  });

  it('never serves a body that is not the one its ETag names, under 25 writers and readers', async () => {
    const store = await freshBucket(s3, 'gate');
    const bodies = Array.from({ length: 25 }, (_, i) => `${'x'.repeat(20_000)}${i}`);
    const reads = await Promise.all(
      bodies.map(async (body, i) => {
        const key = `releases/r${i % 5}.md`;
        await store.put(key, body);
        const object = await otherProcess(store.bucket).get(key);
        return object?.body.length;
      }),
    );
    expect(reads.every((length) => length === 20_001 || length === 20_002)).toBe(true);
  });

  it('runs concurrent DELETEs of one folder without a 500', async () => {
    const store = await freshBucket(s3, 'gate');
    const keys = Array.from({ length: 30 }, (_, i) => `feeds/category/c${i % 3}/f${i}.xml`);
    await Promise.all(keys.map((key) => store.put(key, key)));
    await Promise.all(keys.map((key) => otherProcess(store.bucket).delete(key)));
    const left: string[] = [];
    for await (const summary of store.list('feeds/')) left.push(summary.key);
    expect(left).toEqual([]);
  });
});
