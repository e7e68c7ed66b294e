import { GetObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { S3RVER_CREDENTIALS } from '../../src/local/s3-server.js';
import { PreconditionFailedError } from '../../src/shared/ports.js';
import { countRequests } from '../support/request-counter.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { objectStoreContract } from './object-store-contract.js';

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  await s3?.stop();
});

describe('S3ObjectStore against s3rver', () => {
  objectStoreContract(() => freshBucket(s3, 'contract'));

  it('stores Cache-Control and Content-Disposition with the object', async () => {
    const store = await freshBucket(s3, 'cache');
    await store.put('index.html', '<!doctype html>', {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=60',
    });
    const head = await s3.client.send(
      new GetObjectCommand({ Bucket: store.bucket, Key: 'index.html' }),
    );
    expect(head.CacheControl).toBe('public, max-age=60');
    expect(head.ContentType).toBe('text/html; charset=utf-8');
    await store.put('media/aukiolo.pdf', '%PDF-1.4', {
      contentType: 'application/pdf',
      cacheControl: 'public, max-age=3600',
      contentDisposition: 'attachment; filename="aukiolo.pdf"',
    });
    const pdf = await s3.client.send(
      new HeadObjectCommand({ Bucket: store.bucket, Key: 'media/aukiolo.pdf' }),
    );
    expect(pdf.ContentDisposition).toBe('attachment; filename="aukiolo.pdf"');
    expect(pdf.CacheControl).toBe('public, max-age=3600');
  });

  it('answers a conditional GET with the current ETag 304, and with an old one the new body', async () => {
    const store = await freshBucket(s3, 'not-modified');
    const first = await store.put('releases/a.html', '<p>a</p>');
    const status = (key: string, etag: string) =>
      s3.client
        .send(new GetObjectCommand({ Bucket: store.bucket, Key: key, IfNoneMatch: etag }))
        .then(async (out) => {
          await out.Body?.transformToByteArray();
          return out.$metadata.httpStatusCode;
        })
        .catch(
          (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
        );
    expect(await status('releases/a.html', first.etag)).toBe(304);
    await store.put('releases/a.html', '<p>a, edited</p>');
    expect(await status('releases/a.html', first.etag)).toBe(200);
  });

  it('pages through listings longer than one page (1,000 keys)', async () => {
    const store = await freshBucket(s3, 'paging');
    const keys = Array.from({ length: 1005 }, (_, i) => `p/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, key)));
    }
    const counter = countRequests(s3.client);
    const listed: string[] = [];
    for await (const summary of store.list('p/')) listed.push(summary.key);
    expect(listed).toEqual(keys);
    expect(counter.snapshot().byCommand.ListObjectsV2Command).toBe(2);
  });

  it('turns a 412 (or 409 conflict) from S3 into PreconditionFailedError', async () => {
    // s3rver ignores If-Match, so the answer real S3 gives is injected below the SDK's parser.
    for (const status of [412, 409]) {
      const client = createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
      client.middlewareStack.add(
        () => async () => {
          throw new S3ServiceException({
            name: status === 412 ? 'PreconditionFailed' : 'ConditionalRequestConflict',
            $fault: 'client',
            $metadata: { httpStatusCode: status },
          });
        },
        { step: 'finalizeRequest', name: 'injectPreconditionFailure' },
      );
      const store = new S3ObjectStore(client, 'whatever');
      await expect(store.put('state/x.json', '{}', { ifMatch: '"abc"' })).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
      client.destroy();
    }
  });

  it('counts one request per SDK call', async () => {
    const store = await freshBucket(s3, 'count');
    const counter = countRequests(s3.client);
    await store.put('k', 'v');
    await store.get('k');
    await store.get('missing');
    expect(counter.snapshot()).toEqual({
      total: 3,
      byCommand: { PutObjectCommand: 1, GetObjectCommand: 2 },
    });
  });
});
