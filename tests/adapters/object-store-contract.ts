import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { headEtag } from '../../src/adapters/head.js';
import { type ObjectStore, PreconditionFailedError } from '../../src/shared/ports.js';

const md5 = (text: string) => `"${createHash('md5').update(text, 'utf8').digest('hex')}"`;

/**
 * The behaviour every ObjectStore adapter must share; `fresh()` gives an empty store. It runs
 * against s3rver (behind the local gate), the file system adapter and the in-memory store the
 * logic tests use (tests/support/conditional-store.ts), so what those tests prove on memory holds
 * on S3.
 */
export function objectStoreContract(fresh: () => Promise<ObjectStore>): void {
  it('answers undefined for a missing key and treats deleting it as done', async () => {
    const store = await fresh();
    expect(await store.get('nothing/here.json')).toBeUndefined();
    await expect(store.delete('nothing/here.json')).resolves.toBeUndefined();
  });

  it('round-trips bytes, content type and an MD5 ETag for keys with spaces, ä/ö and +', async () => {
    const store = await fresh();
    const key = 'releases/Kevät 2021/ö + ä.md';
    const { etag } = await store.put(key, 'Hyvää päivää\n', {
      contentType: 'text/markdown; charset=utf-8',
      cacheControl: 'no-cache',
    });
    const object = await store.get(key);
    expect(new TextDecoder().decode(object?.body)).toBe('Hyvää päivää\n');
    expect(object?.etag).toBe(md5('Hyvää päivää\n'));
    expect(etag).toBe(object?.etag);
    expect(object?.contentType).toBe('text/markdown; charset=utf-8');
  });

  it('lists by prefix in key order with ETags and sizes, and forgets deleted objects', async () => {
    const store = await fresh();
    await store.put('a/2.txt', 'two');
    await store.put('a/1.txt', 'one');
    await store.put('a/sub/3.txt', 'three');
    await store.put('b/1.txt', 'other');
    await store.delete('a/2.txt');
    const listed = [];
    for await (const summary of store.list('a/')) listed.push(summary);
    expect(listed.map(({ key, etag, size }) => ({ key, etag, size }))).toEqual([
      { key: 'a/1.txt', etag: md5('one'), size: 3 },
      { key: 'a/sub/3.txt', etag: md5('three'), size: 5 },
    ]);
  });

  it('tells an ETag without the body, and nothing for a missing key or a mere prefix', async () => {
    const store = await fresh();
    await store.put('releases/a.md.json', 'longer key');
    const { etag } = await store.put('releases/a.md', 'body');
    expect(await headEtag(store, 'releases/a.md')).toBe(etag);
    expect(await headEtag(store, 'releases/a')).toBeUndefined();
    expect(await headEtag(store, 'releases/b.md')).toBeUndefined();
  });

  it('overwrites an object and reports the new ETag', async () => {
    const store = await fresh();
    const first = await store.put('doc.json', '{"v":1}');
    const second = await store.put('doc.json', '{"v":2}');
    expect(second.etag).not.toBe(first.etag);
    expect((await store.get('doc.json'))?.etag).toBe(second.etag);
  });

  it('creates with If-None-Match only where nothing is, and writes with If-Match only over that ETag', async () => {
    const store = await fresh();
    const { etag } = await store.put('state/doc.json', '1', { ifNoneMatch: '*' });
    await expect(store.put('state/doc.json', '2', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(
      store.put('state/doc.json', '2', { ifMatch: md5('not what is there') }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.put('state/none.json', '2', { ifMatch: etag })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    const second = await store.put('state/doc.json', '2', { ifMatch: etag });
    expect(new TextDecoder().decode((await store.get('state/doc.json'))?.body)).toBe('2');
    expect(second.etag).toBe(md5('2'));
    expect(await store.get('state/none.json')).toBeUndefined();
  });

  it('lets exactly one of 25 concurrent writers win, whether creating or updating one ETag', async () => {
    const store = await fresh();
    const creators = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) => store.put('lock.json', `c${i}`, { ifNoneMatch: '*' })),
    );
    const created = creators.flatMap((o) => (o.status === 'fulfilled' ? [o.value.etag] : []));
    expect(created).toHaveLength(1);
    expect(creators.filter((o) => o.status === 'rejected').map((o) => o.reason)).toEqual(
      Array.from({ length: 24 }, () => expect.any(PreconditionFailedError)),
    );
    const updaters = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        store.put('lock.json', `u${i}`, { ifMatch: created[0] as string }),
      ),
    );
    const winners = updaters.flatMap((o, i) => (o.status === 'fulfilled' ? [`u${i}`] : []));
    expect(winners).toHaveLength(1);
    expect(new TextDecoder().decode((await store.get('lock.json'))?.body)).toBe(winners[0]);
  });
}
