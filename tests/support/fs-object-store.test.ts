import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../src/shared/ports.js';
import { objectStoreContract } from '../adapters/object-store-contract.js';
import { FileSystemObjectStore, InvalidKeyError } from './fs-object-store.js';

const roots: string[] = [];

async function freshStore(): Promise<FileSystemObjectStore> {
  const root = await mkdtemp(join(tmpdir(), 'newsroom-fs-store-'));
  roots.push(root);
  return new FileSystemObjectStore(root);
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('FileSystemObjectStore', () => {
  objectStoreContract(freshStore);

  it('writes each key as a plain file under the root', async () => {
    const store = await freshStore();
    await store.put('feeds/lang/sv/atom.xml', '<feed/>', { cacheControl: 'max-age=60' });
    expect(await readFile(join(store.root, 'feeds/lang/sv/atom.xml'), 'utf8')).toBe('<feed/>');
    expect(await store.cacheControlOf('feeds/lang/sv/atom.xml')).toBe('max-age=60');
  });

  it('enforces If-None-Match and If-Match', async () => {
    const store = await freshStore();
    const { etag } = await store.put('state/doc.json', '1', { ifNoneMatch: '*' });
    await expect(store.put('state/doc.json', '2', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(store.put('state/doc.json', '2', { ifMatch: '"stale"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await store.put('state/doc.json', '2', { ifMatch: etag });
    expect(new TextDecoder().decode((await store.get('state/doc.json'))?.body)).toBe('2');
  });

  it('lets exactly one of many concurrent conditional creators win', async () => {
    const store = await freshStore();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.put('lock.json', `${i}`, { ifNoneMatch: '*' })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses keys that would escape the root', async () => {
    const store = await freshStore();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '']) {
      await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
    }
  });
});
