import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  draftHash,
  previewMediaPrefix,
  previewObjectKey,
  previewRecordKey,
} from '../../src/drafts/keys.js';
import { readPreviewRecord } from '../../src/drafts/record.js';
import { reconcile } from '../../src/pipeline/reconcile.js';
import { reportKey } from '../../src/pipeline/reports.js';
import { releaseText, snapshot, testPipeline } from '../pipeline/harness.js';
import { jpegBytes } from '../support/media-bytes.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';

/**
 * The nightly reconcile over drafts/, against s3rver: previews whose events were lost are
 * rendered (and staff mailed once), previews of drafts that are gone are removed, and a second
 * run changes nothing and mails nobody.
 */
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

const kinds = (notices: readonly { type: string }[]) => notices.map((notice) => notice.type);

describe('reconcile and drafts/', () => {
  it('repairs lost draft events without mailing staff again for drafts already notified', async () => {
    const t = await testPipeline(s3);
    const picture = jpegBytes(64, 48);
    await t.bucket.put('drafts/kuva.jpg', picture);
    await t.upload(
      'drafts/ok.md',
      releaseText('Valmis', '2026-01-15 09:00', { image: 'kuva.jpg' }),
    );
    await t.upload('drafts/rikki.md', '---\ntitle: Rikki\n---\n\nT.\n');
    await t.upload('drafts/poistuva.md', releaseText('Poistuva', '2026-01-15 09:00'));
    expect(kinds(t.notifier.notices)).toEqual([
      'draft-preview',
      'release-rejected',
      'draft-preview',
    ]);
    // Lost events: a new draft, an edited one, a deleted one, a rejected one never seen.
    await t.upload('drafts/uusi.md', releaseText('Uusi', '2026-01-15 10:00'), false);
    await t.upload('drafts/ok.md', releaseText('Valmis, korjattu', '2026-01-15 09:00'), false);
    await t.remove('drafts/poistuva.md', false);
    await t.upload('drafts/vaara.md', '---\ntitle: Väärä\ndate: 31.2.2026\n---\n\nT.\n', false);
    const before = t.notifier.notices.length;

    const report = await reconcile(t.deps);

    expect(report.drafts).toEqual({
      drafts: 4,
      rendered: [
        { key: 'drafts/ok.md', reason: 'draft changed without an event', notified: true },
        { key: 'drafts/uusi.md', reason: 'no preview', notified: true },
        { key: 'drafts/vaara.md', reason: 'no preview', notified: true },
      ],
      removedPreviews: [draftHash('drafts/poistuva.md')],
      staleReports: [],
    });
    const mailed = t.notifier.notices.slice(before);
    expect(mailed.map((n) => [n.type, 'sourcePath' in n ? n.sourcePath : n.report.file])).toEqual([
      ['draft-preview', 'drafts/ok.md'],
      ['draft-preview', 'drafts/uusi.md'],
      ['release-rejected', 'drafts/vaara.md'],
    ]);
    const page = await t.bucket.get(previewObjectKey(draftHash('drafts/uusi.md')));
    expect(new TextDecoder().decode(page?.body)).toContain('<h1>Uusi</h1>');
    const edited = await t.bucket.get(previewObjectKey(draftHash('drafts/ok.md')));
    expect(new TextDecoder().decode(edited?.body)).toContain('Valmis, korjattu');
    // The edit dropped the picture: its private copy went with it.
    expect((await readPreviewRecord(t.bucket, draftHash('drafts/ok.md')))?.media).toEqual([]);
    expect(await snapshot(t.bucket, previewMediaPrefix(draftHash('drafts/ok.md')))).toEqual(
      new Map(),
    );
    const gone = draftHash('drafts/poistuva.md');
    expect(await t.bucket.get(previewObjectKey(gone))).toBeUndefined();
    expect(await t.bucket.get(previewRecordKey(gone))).toBeUndefined();
    // The rejected draft keeps its report; drafts touch nothing public.
    expect(await t.bucket.get(reportKey('drafts/rikki.md'))).toBeDefined();
    expect(await t.bucket.get(reportKey('drafts/vaara.md'))).toBeDefined();
    expect(report.staleReports).toEqual([]);
    const published = [...(await snapshot(t.publicSite)).keys()];
    expect(published.filter((key) => /^(media|releases)\//.test(key))).toEqual([]);
    expect(published.length).toBeGreaterThan(0); // the empty site's index and feeds

    const count = t.notifier.notices.length;
    const again = await reconcile(t.deps);
    expect(again.drafts).toEqual({
      drafts: 4,
      rendered: [],
      removedPreviews: [],
      staleReports: [],
    });
    expect(t.notifier.notices.length).toBe(count);
    expect(await t.bucket.get(reportKey('drafts/rikki.md'))).toBeDefined();
  });

  it('removes previews, media copies and reports of drafts deleted without an event', async () => {
    const t = await testPipeline(s3);
    await t.bucket.put('drafts/kuva.jpg', jpegBytes(64, 48));
    await t.upload(
      'drafts/kuvallinen.md',
      releaseText('Kuva', '2026-01-15 09:00', { image: 'kuva.jpg' }),
    );
    await t.upload('drafts/rikki.md', '---\ntitle: Rikki\n---\n\nT.\n');
    const hash = draftHash('drafts/kuvallinen.md');
    expect([...(await snapshot(t.bucket, previewMediaPrefix(hash))).keys()]).toEqual([
      `${previewMediaPrefix(hash)}kuva.jpg`,
    ]);
    await t.remove('drafts/kuvallinen.md', false);
    await t.remove('drafts/rikki.md', false);
    const before = t.notifier.notices.length;

    const report = await reconcile(t.deps);

    expect(report.drafts.removedPreviews.sort()).toEqual(
      [hash, draftHash('drafts/rikki.md')].sort(),
    );
    expect(report.drafts.staleReports).toEqual([reportKey('drafts/rikki.md')]);
    expect(await snapshot(t.bucket, 'previews/')).toEqual(new Map());
    expect(t.notifier.notices.length).toBe(before);
    const again = await reconcile(t.deps);
    expect(again.drafts).toEqual({
      drafts: 0,
      rendered: [],
      removedPreviews: [],
      staleReports: [],
    });
  });

  it('renders a preview from before preview records again, silently', async () => {
    const t = await testPipeline(s3);
    await t.upload('drafts/vanha.md', releaseText('Vanha', '2026-01-15 09:00'));
    await t.bucket.delete(previewRecordKey(draftHash('drafts/vanha.md')));
    const before = t.notifier.notices.length;
    const report = await reconcile(t.deps);
    expect(report.drafts.rendered).toEqual([
      { key: 'drafts/vanha.md', reason: 'preview record missing', notified: false },
    ]);
    expect(t.notifier.notices.length).toBe(before);
    expect((await reconcile(t.deps)).drafts.rendered).toEqual([]);
  });
});
