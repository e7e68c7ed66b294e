import { describe, expect, it } from 'vitest';
import { draftHash, previewObjectKey } from '../../src/drafts/keys.js';
import { servePreview } from '../../src/drafts/serve.js';
import { derivePreviewKey, signPreviewToken } from '../../src/drafts/token.js';
import { ConditionalStore } from '../support/conditional-store.js';

const NOW = new Date('2026-05-14T06:00:00Z');
const key = derivePreviewKey('a-test-secret-that-is-at-least-32-bytes-long');
const hash = draftHash('drafts/kirjasto.md');
const PAGE =
  '<!doctype html><html lang="fi"><head><title>Kirjasto</title></head><body>x</body></html>';

async function serving() {
  const store = new ConditionalStore();
  await store.put(previewObjectKey(hash), PAGE, { contentType: 'text/html; charset=utf-8' });
  return { store, key, clock: () => NOW, siteUrl: 'https://tiedotteet.example.fi' };
}

const token = (expiresAt: Date, forHash = hash) =>
  signPreviewToken(key, { hash: forHash, expiresAt });

describe('servePreview', () => {
  it('serves the stored page with a base at the releases folder, private and not indexed', async () => {
    const answer = await servePreview(
      await serving(),
      token(new Date('2026-05-21T06:00:00Z')),
      'fi',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'cache-control': 'private, no-store',
      'x-robots-tag': 'noindex',
      'referrer-policy': 'no-referrer',
    });
    expect(answer.body).toBe(
      PAGE.replace('<head>', '<head>\n<base href="https://tiedotteet.example.fi/releases/">'),
    );
  });

  it('answers 410 in the visitor language once expired or when the draft is gone', async () => {
    const deps = await serving();
    const expired = await servePreview(deps, token(NOW), 'sv');
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('Länken till förhandsvisningen har gått ut.');
    expect(expired.headers['x-robots-tag']).toBe('noindex');
    const other = await servePreview(
      deps,
      token(new Date('2026-06-01T00:00:00Z'), 'cd'.repeat(32)),
      'en',
    );
    expect(other.status).toBe(410);
    expect(other.body).toContain('The draft is gone');
  });

  it('answers 404 for a missing, malformed or forged token', async () => {
    const deps = await serving();
    for (const bad of ['', 'x'.repeat(92), '../previews/x']) {
      expect((await servePreview(deps, bad, 'fi')).status).toBe(404);
    }
  });
});
