import { expect, it } from 'vitest';
import { publishReleaseHandler } from '../../src/pipeline/handlers.js';
import { MEDIA_INDEX_PREFIX } from '../../src/pipeline/media.js';
import type { StaffOutcomeNotice } from '../../src/pipeline/notifier.js';
import { publishDue } from '../../src/pipeline/publish-due.js';
import { reconcile } from '../../src/pipeline/reconcile.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { htmlBytes, pdfBytes, pngBytes } from '../support/media-bytes.js';
import { countingStore } from '../support/request-counter.js';
import {
  expectMatchesFullBuild,
  headersOf,
  releaseText,
  s3Record,
  testPipeline,
  text,
} from './harness.js';

type Pipeline = Awaited<ReturnType<typeof testPipeline>>;

async function putMedia(t: Pipeline, key: string, bytes: Uint8Array): Promise<void> {
  await t.bucket.put(key, bytes);
  await t.handle({ Records: [s3Record(t.bucketName, key, 'created')] });
}

async function removeMedia(t: Pipeline, key: string): Promise<void> {
  await t.bucket.delete(key);
  await t.handle({ Records: [s3Record(t.bucketName, key, 'removed')] });
}

function outcomes(t: Pipeline): StaffOutcomeNotice[] {
  return t.notifier.notices.filter((n): n is StaffOutcomeNotice => n.type === 'staff-outcome');
}

const WITH_PICTURE = releaseText(
  'Kirjasto avautuu',
  '2026-01-14 09:00',
  { image: 'kuva.png', image_alt: 'Kirjaston julkisivu' },
  'Kirjasto avautuu.\n\n[Aukioloajat](aukiolo.pdf)',
);

it('a picture arriving a minute after its release fixes the page without a re-upload', async () => {
  const t = await testPipeline();
  await t.upload('releases/2026/kirjasto.md', WITH_PICTURE);
  const first = outcomes(t).at(-1);
  expect(first?.warnings.map((w) => w.message).join('\n')).toMatch(/kuva\.png.*not published/);
  expect(await text(t.publicSite, 'media/2026/kuva.png')).toBeUndefined();
  const before = await text(t.publicSite, 'releases/2026-kirjasto.html');
  expect(before).not.toContain('kuva.png');

  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  await putMedia(t, 'releases/2026/kuva.png', pngBytes(40, 30));
  await putMedia(t, 'releases/2026/aukiolo.pdf', pdfBytes('Aukioloajat'));
  const page = await text(t.publicSite, 'releases/2026-kirjasto.html');
  expect(page).toContain('media/2026/kuva.png');
  expect(page).toContain('width="40"');
  expect(page).toContain('media/2026/aukiolo.pdf');
  const png = await t.publicSite.get('media/2026/kuva.png');
  expect(png?.contentType).toBe('image/png');
  expect(Buffer.from(png?.body ?? []).equals(Buffer.from(pngBytes(40, 30)))).toBe(true);
  expect(headersOf(t.publicSite, 'media/2026/aukiolo.pdf')).toMatchObject({
    contentType: 'application/pdf',
    contentDisposition: 'attachment; filename="aukiolo.pdf"',
    cacheControl: 'public, max-age=3600',
  });
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);
});

it('replacing the picture republishes it and its size on the page', async () => {
  const t = await testPipeline();
  await t.bucket.put('releases/2026/kuva.png', pngBytes(40, 30));
  await t.upload('releases/2026/kirjasto.md', WITH_PICTURE);
  expect(await text(t.publicSite, 'releases/2026-kirjasto.html')).toContain('width="40"');
  const staffMails = outcomes(t).length;

  await putMedia(t, 'releases/2026/kuva.png', pngBytes(64, 48));
  const page = await text(t.publicSite, 'releases/2026-kirjasto.html');
  expect(page).toContain('width="64"');
  expect(page).toContain('height="48"');
  const png = await t.publicSite.get('media/2026/kuva.png');
  expect(Buffer.from(png?.body ?? []).equals(Buffer.from(pngBytes(64, 48)))).toBe(true);
  expect(outcomes(t).length).toBe(staffMails + 1);
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);

  // The same bytes again change nothing a resident or staff member sees.
  await putMedia(t, 'releases/2026/kuva.png', pngBytes(64, 48));
  expect(outcomes(t).length).toBe(staffMails + 1);
});

it('a fake image warns staff and is not published; the release still is', async () => {
  const t = await testPipeline();
  await t.bucket.put('releases/2026/kuva.png', htmlBytes());
  await t.upload('releases/2026/kirjasto.md', WITH_PICTURE);
  const outcome = outcomes(t).at(-1);
  expect(outcome?.outcome).toBe('published');
  const messages = outcome?.warnings.map((w) => w.message) ?? [];
  expect(messages.some((m) => m.includes('kuva.png') && m.includes('not a PNG'))).toBe(true);
  expect(await text(t.publicSite, 'media/2026/kuva.png')).toBeUndefined();
  const page = await text(t.publicSite, 'releases/2026-kirjasto.html');
  expect(page).toContain('Kirjasto avautuu');
  expect(page).not.toContain('kuva.png');
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);
});

it('a shared picture survives deleting one of its releases, and goes with the last', async () => {
  const t = await testPipeline();
  await t.bucket.put('releases/yhteiset/logo.png', pngBytes(20, 20));
  const body = '![Logo](../yhteiset/logo.png)\n\nTeksti.';
  await t.upload('releases/2026/a.md', releaseText('Ensimmäinen', '2026-01-10 09:00', {}, body));
  await t.upload('releases/2026/b.md', releaseText('Toinen', '2026-01-11 09:00', {}, body));
  expect(await t.publicSite.get('media/yhteiset/logo.png')).toBeDefined();

  await t.remove('releases/2026/a.md');
  expect(await t.publicSite.get('media/yhteiset/logo.png')).toBeDefined();
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);

  await t.remove('releases/2026/b.md');
  expect(await t.publicSite.get('media/yhteiset/logo.png')).toBeUndefined();

  // Deleting the picture itself, or uploading one nobody references, publishes nothing.
  await removeMedia(t, 'releases/yhteiset/logo.png');
  await putMedia(t, 'releases/muu.png', pngBytes(8, 8));
  expect(await t.publicSite.get('media/muu.png')).toBeUndefined();
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(0);
});

it('deleting a picture takes it off the page and the public side', async () => {
  const t = await testPipeline();
  await t.bucket.put('releases/2026/kuva.png', pngBytes(40, 30));
  await t.upload('releases/2026/kirjasto.md', WITH_PICTURE);
  expect(await t.publicSite.get('media/2026/kuva.png')).toBeDefined();
  await removeMedia(t, 'releases/2026/kuva.png');
  expect(await t.publicSite.get('media/2026/kuva.png')).toBeUndefined();
  expect(await text(t.publicSite, 'releases/2026-kirjasto.html')).not.toContain('kuva.png');
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);
});

it('reconcile repairs media drift: a lost event, a lost index, a stray and a missing public file', async () => {
  const t = await testPipeline();
  await t.bucket.put('releases/2026/kuva.png', pngBytes(40, 30));
  await t.upload('releases/2026/kirjasto.md', WITH_PICTURE);
  // The PDF arrives without an event, the index is lost, the public picture is deleted by hand
  // and a stray file appears under media/.
  await t.bucket.put('releases/2026/aukiolo.pdf', pdfBytes('Aukioloajat'));
  for await (const { key } of t.bucket.list(MEDIA_INDEX_PREFIX)) await t.bucket.delete(key);
  await t.publicSite.delete('media/2026/kuva.png');
  await t.publicSite.put('media/vanha.png', pngBytes(4, 4));

  const report = await reconcile(t.deps);
  expect(report.resynced).toEqual([
    { key: 'releases/2026/aukiolo.pdf', reason: 'media file changed' },
  ]);
  expect(report.mediaIndexRepaired.length).toBe(2);
  expect(await t.publicSite.get('media/2026/kuva.png')).toBeDefined();
  expect(report.publicFiles.deleted).toContain('media/vanha.png');
  expect(await text(t.publicSite, 'releases/2026-kirjasto.html')).toContain(
    'media/2026/aukiolo.pdf',
  );
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);

  const again = await reconcile(t.deps);
  expect(again).toMatchObject({
    resynced: [],
    mediaIndexRepaired: [],
    publicFiles: { written: [], deleted: [] },
  });

  // A public copy lost on its own is copied back from its source by the public repair.
  await t.publicSite.delete('media/2026/aukiolo.pdf');
  const repaired = await reconcile(t.deps);
  expect(repaired.resynced).toEqual([]);
  expect(repaired.publicFiles).toEqual({ written: ['media/2026/aukiolo.pdf'], deleted: [] });
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);
});

it('an embargoed release publishes its picture only when it comes due', async () => {
  const t = await testPipeline();
  const body = 'Uusi uimahalli.\n\n![Halli](halli.png)';
  await t.upload('releases/2026/halli.md', releaseText('Uimahalli', '2026-01-20 09:00', {}, body));
  await putMedia(t, 'releases/2026/halli.png', pngBytes(30, 20));
  expect(await t.publicSite.get('media/2026/halli.png')).toBeUndefined();
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(0);

  t.clock.now = new Date('2026-01-21T00:00:00Z');
  await publishDue(t.deps);
  const png = await t.publicSite.get('media/2026/halli.png');
  expect(png?.contentType).toBe('image/png');
  expect(await text(t.publicSite, 'releases/2026-halli.html')).toContain('width="30"');
  expect(await expectMatchesFullBuild(t)).toBeGreaterThan(5);
});

it('a batch that fails while copying a picture, delivered again, publishes it and its page', async () => {
  const inner = new ConditionalStore();
  let failures = 1;
  const publicSite: ObjectStore = {
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
    put: async (key, body, options) => {
      if (key.startsWith('media/') && failures > 0) {
        failures -= 1;
        throw new Error('connection reset while writing the picture');
      }
      return inner.put(key, body, options);
    },
  };
  const t = await testPipeline({ publicSite });
  await t.bucket.put('releases/2026/kuva.png', pngBytes(40, 30));
  await t.bucket.put('releases/2026/kirjasto.md', WITH_PICTURE);
  const event = { Records: [s3Record(t.bucketName, 'releases/2026/kirjasto.md', 'created')] };
  await expect(t.handle(event)).rejects.toThrow(/connection reset/);
  expect(await inner.get('media/2026/kuva.png')).toBeUndefined();

  await t.handle(event);
  expect((await inner.get('media/2026/kuva.png'))?.contentType).toBe('image/png');
  expect(await text(inner, 'releases/2026-kirjasto.html')).toContain('media/2026/kuva.png');
  expect(await expectMatchesFullBuild({ ...t, publicSite: inner })).toBeGreaterThan(5);
});

/** `shared` releases using one logo and `others` without it, uploaded as one batch. */
async function archiveWithLogo(shared: number, others: number) {
  const t = await testPipeline();
  const records = [];
  for (let i = 0; i < shared + others; i += 1) {
    const key = `releases/2025/tiedote ${i}.md`;
    const body = i < shared ? `![Logo](../yhteiset/logo.png)\n\nTeksti ${i}.` : `Teksti ${i}.`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    await t.bucket.put(
      key,
      releaseText(`Tiedote ${i}`, `2025-0${1 + (i % 9)}-${day} 09:00`, {}, body),
    );
    records.push(s3Record(t.bucketName, key, 'created'));
  }
  await t.handle({ Records: records });
  return t;
}

it('a logo arriving for 25 releases fixes all of them, at a cost independent of the archive', async () => {
  const requests: number[] = [];
  for (const others of [0, 40]) {
    const t = await archiveWithLogo(25, others);
    const bucket = countingStore(t.bucket);
    const publicSite = countingStore(t.publicSite);
    const handle = publishReleaseHandler({
      ...t.deps,
      bucket: bucket.store,
      publicSite: publicSite.store,
    });
    await t.bucket.put('releases/yhteiset/logo.png', pngBytes(16, 16));
    await handle({ Records: [s3Record(t.bucketName, 'releases/yhteiset/logo.png', 'created')] });
    requests.push(bucket.requests() + publicSite.requests());
    let pages = 0;
    for (let i = 0; i < 25; i += 1) {
      const page = await text(t.publicSite, `releases/2025-tiedote-${i}.html`);
      if (page?.includes('media/yhteiset/logo.png')) pages += 1;
    }
    expect(pages).toBe(25);
    expect(await expectMatchesFullBuild(t)).toBeGreaterThan(25 + others);
  }
  expect(requests[0]).toBeGreaterThan(25);
  expect(requests[1]).toBe(requests[0]);
});
