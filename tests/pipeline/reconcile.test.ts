import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/pipeline/reconcile.js';
import { recordKey, SITE_INDEX_KEY } from '../../src/pipeline/state-keys.js';
import { windowKey } from '../../src/pipeline/windows.js';
import { expectMatchesFullBuild, releaseText, snapshot, testPipeline, text } from './harness.js';

describe('reconcile', () => {
  it('repairs a lost record, a release added or deleted without an event, and tampered files', async () => {
    const t = await testPipeline();
    await t.upload('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.upload('releases/b.md', releaseText('B', '2025-02-01 10:00', { slug: 'bee' }));
    await t.upload('releases/c.md', releaseText('C', '2024-03-01 10:00', { type: 'Blogi' }));
    // Drift: a state record lost, a file added and one deleted with no event, public files edited.
    await t.bucket.delete(recordKey('releases/b.md'));
    await t.bucket.put('releases/d.md', releaseText('D', '2025-04-01 10:00', { lang: 'sv' }));
    await t.bucket.delete('releases/c.md');
    await t.publicSite.put('feeds/rss.xml', 'broken');
    await t.publicSite.put('releases/ghost.html', '<p>nobody</p>');
    await t.publicSite.put('robots.txt', 'User-agent: *\n');

    const report = await reconcile(t.deps);
    expect(report.resynced).toEqual(
      expect.arrayContaining([
        { key: 'releases/b.md', reason: 'no record' },
        { key: 'releases/d.md', reason: 'no record' },
        { key: 'releases/c.md', reason: 'source gone without an event' },
      ]),
    );
    expect(report.publicFiles.deleted).toContain('releases/ghost.html');
    expect(await text(t.publicSite, 'robots.txt')).toBe('User-agent: *\n');
    await t.publicSite.delete('robots.txt');
    // The record came back with the slug B claimed at first publication.
    expect(await text(t.publicSite, 'releases/bee.html')).toContain('<h1>B</h1>');
    expect(await text(t.publicSite, 'releases/d.html')).toContain('<h1>D</h1>');
    // A release deleted without an event is withdrawn like any other: its address says so.
    expect(await text(t.publicSite, 'releases/c.html')).toContain(
      '<meta name="robots" content="noindex">',
    );
    expect(await text(t.publicSite, 'feeds/rss.xml')).toContain('<rss');
    await expectMatchesFullBuild(t);

    const again = await reconcile(t.deps);
    expect(again).toMatchObject({
      resynced: [],
      windowsRebuilt: [],
      siteIndexRebuilt: false,
      orphanClaims: [],
      publicFiles: { written: [], deleted: [] },
    });
  });

  it('writes back an archive feed page that was deleted or damaged, and nothing else', async () => {
    const t = await testPipeline();
    await t.upload('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.upload('releases/b.md', releaseText('B', '2025-02-01 10:00', { lang: 'sv' }));
    const lost = 'feeds/archive/2025-01.atom.xml';
    const damaged = 'feeds/lang/sv/archive/2025-02.rss.xml';
    const before = await snapshot(t.publicSite, 'feeds/');
    await t.publicSite.delete(lost);
    await t.publicSite.put(damaged, '<rss version="2.0">');

    const report = await reconcile(t.deps);
    expect(report.resynced).toEqual([]);
    expect(report.publicFiles).toEqual({ written: [damaged, lost].sort(), deleted: [] });
    expect(await snapshot(t.publicSite, 'feeds/')).toEqual(before);
    await expectMatchesFullBuild(t);
  });

  it('rebuilds a window and a site index that drifted, so later changes stay right', async () => {
    const t = await testPipeline({
      site: { ...(await import('./harness.js')).SITE, feedLimit: 2 },
    });
    for (let i = 0; i < 6; i += 1) {
      await t.upload(
        `releases/t-${i}.md`,
        releaseText(`T ${i}`, `2025-0${i + 1}-01 10:00`, { type: 'Blogi' }),
      );
    }
    const blogi = windowKey({ kind: 'category', categorySlug: 'blogi' });
    const window = JSON.parse((await text(t.bucket, blogi)) ?? '{}');
    window.entries.splice(1, 1);
    await t.bucket.put(blogi, JSON.stringify(window));
    await t.bucket.put(
      SITE_INDEX_KEY,
      JSON.stringify({ version: 1, categories: [], langs: [], years: [], months: [] }),
    );
    await t.bucket.put('state/slugs/orpo.json', JSON.stringify({ key: 'releases/poissa.md' }));

    const report = await reconcile(t.deps);
    expect(report.windowsRebuilt).toEqual([blogi]);
    expect(report.siteIndexRebuilt).toBe(true);
    expect(report.orphanClaims).toEqual(['orpo']);
    expect(JSON.parse((await text(t.bucket, SITE_INDEX_KEY)) ?? '{}')).toEqual({
      version: 1,
      categories: [{ slug: 'blogi', name: 'Blogi' }],
      langs: ['fi'],
      years: [2025],
      months: ['2025-06', '2025-05', '2025-04', '2025-03', '2025-02', '2025-01'],
      scopeMonths: Object.fromEntries(
        [
          { kind: 'all' } as const,
          { kind: 'category', categorySlug: 'blogi' } as const,
          { kind: 'lang', lang: 'fi' } as const,
        ]
          .map((scope) => [
            windowKey(scope),
            ['2025-06', '2025-05', '2025-04', '2025-03', '2025-02', '2025-01'],
          ])
          .sort(),
      ),
    });
    await expectMatchesFullBuild(t);
    for (let i = 5; i >= 2; i -= 1) await t.remove(`releases/t-${i}.md`);
    await expectMatchesFullBuild(t);
    const pages = await snapshot(t.publicSite, 'releases/');
    const live = [...pages].filter(([, html]) => !html.includes('content="noindex"'));
    expect(live.map(([path]) => path)).toEqual(['releases/t-0.html', 'releases/t-1.html']);
    expect(pages.size).toBe(6);
  });
});
