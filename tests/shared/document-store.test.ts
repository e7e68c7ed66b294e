import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { monthDocSchema } from '../../src/pipeline/months.js';
import { releaseRecordSchema } from '../../src/pipeline/records.js';
import {
  BatchDocuments,
  CorruptDocumentError,
  readDocument,
  updateDocument,
} from '../../src/shared/document-store.js';
import type { ObjectStore } from '../../src/shared/ports.js';
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
