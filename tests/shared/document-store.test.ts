import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { monthDocSchema, toArchiveRelease } from '../../src/pipeline/months.js';
import { releaseRecordSchema } from '../../src/pipeline/records.js';
import { storeRelease } from '../../src/pipeline/stored-release.js';
import { windowDocSchema } from '../../src/pipeline/windows.js';
import {
  BatchDocuments,
  CorruptDocumentError,
  readDocument,
  updateDocument,
} from '../../src/shared/document-store.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { makeRelease } from '../support/releases.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';

const counter = v.object({ count: v.number() });

async function corruption(read: Promise<unknown>): Promise<CorruptDocumentError> {
  const error = await read.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CorruptDocumentError);
  return error as CorruptDocumentError;
}

/** A stored release with every optional field set, as the pipeline writes it. */
function fullStoredRelease() {
  const release = makeRelease({
    updated: new Date('2026-05-04T10:00:00Z'),
    author: 'Viestintä',
    summary: 'Lyhyesti.',
    summaryInBody: true,
    kicker: 'Kaupunki',
    tags: ['liikenne', 'kadut'],
    image: 'https://tiedotteet.example.fi/media/2026/kuva.jpg',
    imageAlt: 'Katu',
    media: [
      {
        sourcePath: '2026/kuva.jpg',
        publicPath: 'media/2026/kuva.jpg',
        url: 'https://tiedotteet.example.fi/media/2026/kuva.jpg',
        line: 4,
        shownAsImage: true,
        file: { kind: 'image', contentType: 'image/jpeg', length: 5120, width: 640, height: 480 },
      },
      {
        sourcePath: '2026/liite.pdf',
        publicPath: 'media/2026/liite.pdf',
        url: 'https://tiedotteet.example.fi/media/2026/liite.pdf',
        linked: true,
      },
    ],
    translationKey: 'katutyot',
    translations: [
      { lang: 'sv', url: 'https://tiedotteet.example.fi/releases/x.html', title: 'T' },
    ],
  });
  return storeRelease(release, '2026-05-04T10:05:00.000Z');
}

describe('the document store on s3rver', () => {
  let s3: LocalS3;
  let bucket: ObjectStore;

  beforeAll(async () => {
    s3 = await startTestS3();
    bucket = await freshBucket(s3, 'documents');
  });
  afterAll(() => s3.stop());

  test('reads a document that matches its schema, with its ETag', async () => {
    const { etag } = await bucket.put('state/counter.json', '{"count":3}');
    expect(await readDocument(bucket, 'state/counter.json', counter)).toEqual({
      value: { count: 3 },
      etag,
    });
    expect(await readDocument(bucket, 'state/absent.json', counter)).toBeUndefined();
  });

  test('a document that is not JSON is an error naming its key', async () => {
    await bucket.put('state/broken.json', '{"count":');
    const error = await corruption(readDocument(bucket, 'state/broken.json', counter));
    expect(error.key).toBe('state/broken.json');
    expect(error.message).toContain('state/broken.json');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('a document of the wrong shape is an error naming its key and the field path', async () => {
    const record = {
      version: 1,
      key: 'releases/a.md',
      lingering: [{ categorySlug: 7, lang: 'fi' }],
    };
    await bucket.put('state/records/a.json', JSON.stringify(record));
    const error = await corruption(
      readDocument(bucket, 'state/records/a.json', releaseRecordSchema),
    );
    expect(error.key).toBe('state/records/a.json');
    expect(error.fieldPath).toMatch(/^lingering\.0\.categorySlug: /);
    expect(error.message).toContain('state/records/a.json');
    expect(error.message).toContain('lingering.0.categorySlug');
  });

  test('a batch refuses a malformed state document instead of overwriting it', async () => {
    const stored = '{"version":1,"month":"2026-05","entries":"not a list"}';
    await bucket.put('state/months/2026-05.json', stored);
    const docs = new BatchDocuments(bucket);
    const error = await corruption(docs.get('state/months/2026-05.json', monthDocSchema));
    expect(error.fieldPath).toMatch(/^entries: /);
    const body = (await bucket.get('state/months/2026-05.json'))?.body;
    expect(Buffer.from(body ?? new Uint8Array()).toString('utf8')).toBe(stored);
  });

  test('a stored document round-trips with the fields its schema does not name', async () => {
    const month = {
      version: 1,
      month: '2026-05',
      entries: [],
      later: { field: 'kept' },
    };
    await bucket.put('state/months/2026-06.json', JSON.stringify(month));
    const docs = new BatchDocuments(bucket);
    expect(await docs.get('state/months/2026-06.json', monthDocSchema)).toEqual(month);
  });

  test('a release nested in a record, window or month is checked field by field, and read as stored', async () => {
    const release = fullStoredRelease();
    const record = { version: 1, key: 'releases/a.md', release, lingering: [] };
    const window = {
      version: 1,
      scope: { kind: 'all' },
      exhaustive: true,
      entries: [{ key: 'releases/a.md', release }],
    };
    const month = {
      version: 1,
      month: '2026-05',
      entries: [{ key: 'releases/a.md', release: toArchiveRelease(release) }],
    };
    const text = JSON.stringify(record);
    await bucket.put('state/records/full.json', text);
    await bucket.put('state/windows/full.json', JSON.stringify(window));
    await bucket.put('state/months/full.json', JSON.stringify(month));
    const read = await readDocument(bucket, 'state/records/full.json', releaseRecordSchema);
    expect(JSON.stringify(read?.value)).toBe(text);
    expect((await readDocument(bucket, 'state/windows/full.json', windowDocSchema))?.value).toEqual(
      window,
    );
    expect((await readDocument(bucket, 'state/months/full.json', monthDocSchema))?.value).toEqual(
      month,
    );
  });

  test.each([
    ['tags', { tags: 'liikenne' }, 'release.tags'],
    [
      'a media file kind',
      {
        media: [
          {
            ...fullStoredRelease().media?.[0],
            file: { kind: 'video', contentType: 'video/mp4', length: 1 },
          },
        ],
      },
      'release.media.0.file.kind',
    ],
    ['published', { published: 'toukokuussa' }, 'release.published'],
    ['summaryInBody', { summaryInBody: false }, 'release.summaryInBody'],
    ['a translation', { translations: [{ lang: 'sv', url: 'x' }] }, 'release.translations.0.title'],
  ])(
    'a record whose release has a bad %s is refused, naming the field',
    async (_, change, path) => {
      const record = {
        version: 1,
        key: 'releases/a.md',
        release: { ...fullStoredRelease(), ...change },
        lingering: [],
      };
      await bucket.put('state/records/bad.json', JSON.stringify(record));
      const error = await corruption(
        readDocument(bucket, 'state/records/bad.json', releaseRecordSchema),
      );
      expect(error.fieldPath?.startsWith(`${path}: `)).toBe(true);
    },
  );

  test('a window entry needs the body; a month entry is the archive form without it', async () => {
    const { contentHtml: _, ...withoutBody } = fullStoredRelease();
    const entries = [{ key: 'releases/a.md', release: withoutBody }];
    await bucket.put(
      'state/windows/no-body.json',
      JSON.stringify({ version: 1, scope: { kind: 'all' }, exhaustive: true, entries }),
    );
    await bucket.put(
      'state/months/no-body.json',
      JSON.stringify({ version: 1, month: '2026-05', entries }),
    );
    const error = await corruption(
      readDocument(bucket, 'state/windows/no-body.json', windowDocSchema),
    );
    expect(error.fieldPath).toMatch(/^entries\.0\.release\.contentHtml: /);
    const month = await readDocument(bucket, 'state/months/no-body.json', monthDocSchema);
    expect(month?.value.entries[0]?.release.title).toBe(withoutBody.title);
  });

  test('an update of a malformed document fails and leaves it as it was', async () => {
    await bucket.put('state/count.json', '{"count":"three"}');
    const error = await corruption(
      updateDocument(bucket, 'state/count.json', counter, () => ({
        change: { write: { count: 1 } },
        result: undefined,
      })),
    );
    expect(error.fieldPath).toMatch(/^count: /);
    const body = (await bucket.get('state/count.json'))?.body;
    expect(Buffer.from(body ?? new Uint8Array()).toString('utf8')).toBe('{"count":"three"}');
  });
});
