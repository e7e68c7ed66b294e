import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStoreMediaLookup } from '../../src/media/store-lookup.js';
import { attachMedia } from '../../src/release/attach-media.js';
import { parseRelease } from '../../src/release/parse.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { OPTIONS } from '../release/support.js';
import { htmlBytes, jpegBytes, pdfBytes } from '../support/media-bytes.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  await s3?.stop();
});

describe('media beside releases in the private bucket (s3rver)', () => {
  it('checks the files a release references, by exact key, and reads none it need not', async () => {
    const store = await freshBucket(s3, 'media');
    const picture = jpegBytes(320, 200);
    await store.put('releases/2025/kevät kuva.jpg', picture);
    await store.put('releases/2025/liite.pdf.bak', pdfBytes());
    await store.put('releases/2025/kartta.png', htmlBytes());
    await store.put('releases/2025/iso.pdf', new Uint8Array(25 * 1024 * 1024 + 1));
    const source =
      '---\ntitle: T\ndate: 2025-02-03\nimage: kevät kuva.jpg\n---\n\n[Liite](liite.pdf) [Kartta](kartta.png) [Iso](iso.pdf)\n';
    const parsed = parseRelease('2025/t.md', new TextEncoder().encode(source), OPTIONS);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const gets: string[] = [];
    const counting: ObjectStore = {
      get: (key) => {
        gets.push(key);
        return store.get(key);
      },
      put: (key, body, options) => store.put(key, body, options),
      delete: (key) => store.delete(key),
      list: (prefix) => store.list(prefix),
    };
    const attached = await attachMedia(
      parsed.release,
      objectStoreMediaLookup(counting, 'releases/'),
    );
    expect(attached.files.map((file) => [file.path, file.contentType, file.body.length])).toEqual([
      ['media/2025/kevät kuva.jpg', 'image/jpeg', picture.length],
    ]);
    expect(attached.warnings.map((warning) => warning.message.split(':')[0])).toEqual([
      '`2025/liite.pdf` was not published',
      '`2025/kartta.png` was not published',
      '`2025/iso.pdf` was not published',
    ]);
    expect(attached.warnings[0]?.message).toMatch(/not found/);
    // The 25 MB file is never fetched; the missing one cannot be.
    expect(gets.sort()).toEqual(['releases/2025/kartta.png', 'releases/2025/kevät kuva.jpg']);
  }, 60_000);
});
