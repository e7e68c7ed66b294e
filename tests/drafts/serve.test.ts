import { describe, expect, it } from 'vitest';
import { draftHash, previewMediaPrefix, previewObjectKey } from '../../src/drafts/keys.js';
import { type PreviewMedia, writePreviewRecord } from '../../src/drafts/record.js';
import {
  MAX_PREVIEW_MEDIA_BYTES,
  servePreview,
  servePreviewMedia,
} from '../../src/drafts/serve.js';
import { derivePreviewKey, signPreviewToken } from '../../src/drafts/token.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { jpegBytes, pdfBytes } from '../support/media-bytes.js';

const NOW = new Date('2026-05-14T06:00:00Z');
const SITE = 'https://tiedotteet.example.fi';
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

describe('servePreviewMedia', () => {
  const picture = jpegBytes(64, 48);
  const agenda = pdfBytes('Esityslista');
  const valid = () => token(new Date('2026-05-21T06:00:00Z'));

  async function withMedia(rejected = false) {
    const deps = await serving();
    const media: PreviewMedia[] = [
      {
        path: '2026/kuva.jpg',
        url: `${SITE}/media/2026/kuva.jpg`,
        contentType: 'image/jpeg',
        kind: 'image',
      },
      {
        path: '2026/Esityslista ä.pdf',
        url: `${SITE}/media/2026/Esityslista%20%C3%A4.pdf`,
        contentType: 'application/pdf',
        kind: 'document',
      },
      {
        path: '2026/iso.jpg',
        url: `${SITE}/media/2026/iso.jpg`,
        contentType: 'image/jpeg',
        kind: 'image',
      },
    ];
    await writePreviewRecord(deps.store, hash, {
      draft: 'drafts/kirjasto.md',
      sourceEtag: '"1"',
      rejected,
      media,
      references: media.map((entry) => entry.path),
    });
    await deps.store.put(`${previewMediaPrefix(hash)}2026/kuva.jpg`, picture);
    await deps.store.put(`${previewMediaPrefix(hash)}2026/Esityslista ä.pdf`, agenda);
    await deps.store.put(
      `${previewMediaPrefix(hash)}2026/iso.jpg`,
      new Uint8Array(MAX_PREVIEW_MEDIA_BYTES + 1),
    );
    await deps.store.put(`${previewMediaPrefix(hash)}2026/muu.jpg`, picture);
    return deps;
  }

  it('serves a picture the preview shows, and a document as an attachment under its own name', async () => {
    const deps = await withMedia();
    const image = await servePreviewMedia(deps, valid(), '2026/kuva.jpg', 'fi');
    expect(image.status).toBe(200);
    expect(image.isBase64Encoded).toBe(true);
    expect(Buffer.from(image.body, 'base64')).toEqual(Buffer.from(picture));
    expect(image.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'x-robots-tag': 'noindex',
    });
    expect(image.headers['content-disposition']).toBeUndefined();
    const pdf = await servePreviewMedia(deps, valid(), '2026/Esityslista ä.pdf', 'fi');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="Esityslista a.pdf"; filename*=UTF-8''Esityslista%20%C3%A4.pdf`,
    );
  });

  it('answers 404 for a file the preview does not show, 400 for a path that is not plain', async () => {
    const deps = await withMedia();
    expect((await servePreviewMedia(deps, valid(), '2026/muu.jpg', 'fi')).status).toBe(404);
    for (const bad of [
      '',
      '../2026/kuva.jpg',
      '2026/../2026/kuva.jpg',
      '/2026/kuva.jpg',
      '2026//kuva.jpg',
      '2026\\kuva.jpg',
      '2026/kuva.jpg\u0000',
    ]) {
      expect((await servePreviewMedia(deps, valid(), bad, 'fi')).status).toBe(400);
    }
  });

  it('answers 413 for a file over the limit, 410 when expired or the draft was rejected, 404 for a bad token', async () => {
    const deps = await withMedia();
    const large = await servePreviewMedia(deps, valid(), '2026/iso.jpg', 'en');
    expect(large.status).toBe(413);
    expect(large.body).toContain('too large to preview (over 4 MB)');
    expect((await servePreviewMedia(deps, token(NOW), '2026/kuva.jpg', 'fi')).status).toBe(410);
    expect((await servePreviewMedia(deps, 'x'.repeat(92), '2026/kuva.jpg', 'fi')).status).toBe(404);
    const rejected = await withMedia(true);
    expect((await servePreviewMedia(rejected, valid(), '2026/kuva.jpg', 'fi')).status).toBe(410);
  });

  it('points the page’s pictures and links at the media route with the same token', async () => {
    const deps = await withMedia();
    await deps.store.put(
      previewObjectKey(hash),
      `<!doctype html><html><head></head><body><img src="${SITE}/media/2026/kuva.jpg" alt=""><a href="${SITE}/media/2026/Esityslista%20%C3%A4.pdf#sivu=2">x</a><a href="${SITE}/media/2026/muu.jpg">y</a></body></html>`,
    );
    const link = valid();
    const page = await servePreview(deps, link, 'fi');
    expect(page.body).toContain(
      `<img src="${SITE}/api/preview/media?token=${link}&amp;path=2026%2Fkuva.jpg" alt="">`,
    );
    expect(page.body).toContain(
      `href="${SITE}/api/preview/media?token=${link}&amp;path=2026%2FEsityslista%20%C3%A4.pdf#sivu=2"`,
    );
    expect(page.body).toContain(`href="${SITE}/media/2026/muu.jpg"`);
  });
});
