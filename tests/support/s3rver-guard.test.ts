import { describe, expect, it } from 'vitest';
import { md5Etag } from '../../src/pipeline/outputs.js';
import type { StoredObject } from '../../src/shared/ports.js';
import { S3rverFolderGuard } from './s3rver-guard.js';

/**
 * s3rver's flush race (a GET right after a PUT sees the new ETag with a short body) depends on
 * disk timing, so a store stands in for it here: it serves the truncated bodies first.
 */
function flushingStore(full: string, truncatedReads: number) {
  let reads = 0;
  const etag = md5Etag(full);
  const store = {
    reads: () => reads,
    async get(): Promise<StoredObject> {
      reads += 1;
      const body = new TextEncoder().encode(reads <= truncatedReads ? full.slice(0, 3) : full);
      return { body, etag };
    },
    head: async () => ({ etag }),
    put: async () => ({ etag }),
    delete: async () => {},
    async *list() {},
  };
  return store;
}

describe('S3rverFolderGuard', () => {
  it('reads a body again until it matches its ETag, as S3 would have served it', async () => {
    const inner = flushingStore('---\ntitle: Koko teksti\n---\n', 2);
    const object = await new S3rverFolderGuard(inner).get('releases/a.md');
    expect(new TextDecoder().decode(object?.body)).toBe('---\ntitle: Koko teksti\n---\n');
    expect(inner.reads()).toBe(3);
  });

  it('gives up loudly when the body never matches', async () => {
    const inner = flushingStore('pitkä teksti', Number.POSITIVE_INFINITY);
    await expect(new S3rverFolderGuard(inner).get('releases/a.md')).rejects.toThrow(
      /does not match its ETag/,
    );
    expect(inner.reads()).toBe(9);
  });
});
