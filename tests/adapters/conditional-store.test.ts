import { describe, expect, it } from 'vitest';
import { ConditionalStore } from '../support/conditional-store.js';
import { objectStoreContract } from './object-store-contract.js';

describe('ConditionalStore (in memory, for logic tests)', () => {
  objectStoreContract(async () => new ConditionalStore());

  it('keeps the headers S3 serves with an object', async () => {
    const store = new ConditionalStore();
    await store.put('media/a.pdf', 'pdf', {
      contentType: 'application/pdf',
      cacheControl: 'public, max-age=3600',
      contentDisposition: 'attachment; filename="a.pdf"',
    });
    expect(store.objects.get('media/a.pdf')).toMatchObject({
      contentType: 'application/pdf',
      cacheControl: 'public, max-age=3600',
      contentDisposition: 'attachment; filename="a.pdf"',
    });
  });

  it('with conditions off, the last writer wins, as on s3rver without the gate', async () => {
    const store = new ConditionalStore();
    store.enforceConditions = false;
    await store.put('doc.json', '1');
    await store.put('doc.json', '2', { ifNoneMatch: '*' });
    expect(store.json('doc.json')).toBe(2);
    expect(store.written).toEqual(['doc.json', 'doc.json']);
  });
});
