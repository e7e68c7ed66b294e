import { describe, expect, it } from 'vitest';
import { PipelineReleaseSource } from '../../src/digest/pipeline-releases.js';
import { releasesFor } from '../../src/digest/render.js';
import { publishReleaseHandler } from '../../src/pipeline/handlers.js';
import { publishDue } from '../../src/pipeline/publish-due.js';
import { reconcile } from '../../src/pipeline/reconcile.js';
import { translationGroupKey } from '../../src/pipeline/translations.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { recipient } from '../digest/fixtures.js';
import { byTag, parseHtml } from '../pages/html-check.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { countingStore } from '../support/request-counter.js';
import {
  expectMatchesFullBuild,
  releaseText,
  SITE,
  s3Record,
  testPipeline,
  text,
} from './harness.js';

const URL_OF = (slug: string) => `${SITE.siteUrl}/releases/${slug}.html`;
const FI = 'releases/2025/uimahalli.md';
const SV = 'releases/sv/simhallen.md';

function finnish(fields: Record<string, string> = {}, date = '2025-06-02 09:00') {
  return releaseText('Uimahalli avautuu', date, {
    translation_key: 'uimahalli-2025',
    ...fields,
  });
}

function swedish(fields: Record<string, string> = {}, date = '2025-06-02 09:30') {
  return releaseText('Simhallen öppnar', date, {
    lang: 'sv',
    type: 'Pressmeddelande',
    translation_key: 'uimahalli-2025',
    ...fields,
  });
}

/** The page's hreflang alternates and visible translation links, as a browser parses them. */
async function linksOf(store: ObjectStore, slug: string) {
  const { errors, root } = parseHtml((await text(store, `releases/${slug}.html`)) ?? '');
  expect(errors).toEqual([]);
  return {
    hreflang: byTag(root, 'link', { rel: 'alternate' })
      .filter((link) => link.attrs.hreflang !== undefined)
      .map((link) => [link.attrs.hreflang, link.attrs.href]),
    visible: byTag(root, 'p', { class: 'translations' }).flatMap((p) =>
      byTag(p, 'a').map((a) => [a.attrs.hreflang, a.attrs.href]),
    ),
  };
}

describe('translations in the pipeline', () => {
  it('links the first version when the second arrives: pages, three feeds, sitemap, digest', async () => {
    const t = await testPipeline();
    // Published this morning (the test clock's day), so the digest counts them as new.
    await t.upload(FI, finnish({}, '2026-01-15 10:00'));
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toEqual([]);
    await expectMatchesFullBuild(t);

    await t.upload(SV, swedish({}, '2026-01-15 10:30'));
    expect(await linksOf(t.publicSite, '2025-uimahalli')).toEqual({
      hreflang: [
        ['fi', URL_OF('2025-uimahalli')],
        ['sv', URL_OF('sv-simhallen')],
      ],
      visible: [['sv', URL_OF('sv-simhallen')]],
    });
    expect((await linksOf(t.publicSite, 'sv-simhallen')).visible).toEqual([
      ['fi', URL_OF('2025-uimahalli')],
    ]);

    // Every feed holding the Finnish version links the Swedish one, and each stays valid.
    for (const folder of ['feeds/', 'feeds/lang/fi/', 'feeds/category/tiedote/']) {
      const atom = (await text(t.publicSite, `${folder}atom.xml`)) ?? '';
      expect(xmllintErrors(atom)).toBe('');
      const entry = parseFeed(atom).entries.find((e) => e.title === 'Uimahalli avautuu');
      expect(entry?.links.map((link) => link.href)).toContain(URL_OF('sv-simhallen'));
      const rss = parseFeed((await text(t.publicSite, `${folder}rss.xml`)) ?? '');
      expect(rss.bozo).toBe(false);
      const json = (await text(t.publicSite, `${folder}feed.json`)) ?? '';
      expect(jsonFeedProblems(json)).toEqual([]);
      const items = (JSON.parse(json) as { items: { title: string; _translations?: unknown }[] })
        .items;
      expect(items.find((item) => item.title === 'Uimahalli avautuu')?._translations).toEqual([
        { language: 'sv', url: URL_OF('sv-simhallen'), title: 'Simhallen öppnar' },
      ]);
    }
    const sitemap = (await text(t.publicSite, 'sitemaps/2026-01.xml')) ?? '';
    expect(xmllintErrors(sitemap)).toBe('');
    expect(sitemap).toContain(
      `<xhtml:link rel="alternate" hreflang="sv" href="${URL_OF('sv-simhallen')}"/>`,
    );
    await expectMatchesFullBuild(t);

    // The digest reads the pipeline's state: one version per subscriber, in their language.
    const releases = await new PipelineReleaseSource(t.bucket).publishedBetween(
      new Date('2026-01-15T00:00:00Z'),
      new Date('2026-01-16T00:00:00Z'),
    );
    expect(releases.map((release) => release.title).sort()).toEqual([
      'Simhallen öppnar',
      'Uimahalli avautuu',
    ]);
    const onlySwedish = recipient('a', { lang: 'sv', languages: ['sv'] });
    expect(releasesFor(onlySwedish, releases).map((r) => r.title)).toEqual(['Simhallen öppnar']);
    const swedishReader = recipient('b', { lang: 'sv', languages: [] });
    expect(releasesFor(swedishReader, releases).map((r) => r.title)).toEqual(['Simhallen öppnar']);
    const finnishReader = recipient('c', { lang: 'fi', languages: [] });
    expect(releasesFor(finnishReader, releases).map((r) => r.title)).toEqual(['Uimahalli avautuu']);
  });

  it('unlinks the other version when one is deleted, moves to another key, or is embargoed', async () => {
    const t = await testPipeline();
    await t.upload(FI, finnish());
    await t.upload(SV, swedish());

    await t.remove(SV);
    expect(await linksOf(t.publicSite, '2025-uimahalli')).toEqual({ hreflang: [], visible: [] });
    expect(await text(t.publicSite, 'releases/sv-simhallen.html')).toContain('content="noindex"');
    await expectMatchesFullBuild(t);

    await t.upload(SV, swedish());
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toHaveLength(1);
    await t.upload(SV, swedish({ translation_key: 'toinen' }));
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toEqual([]);
    expect((await linksOf(t.publicSite, 'sv-simhallen')).visible).toEqual([]);
    await expectMatchesFullBuild(t);

    // A version under embargo is linked only once it is public, by the publish-due run.
    await t.upload(SV, swedish({}, '2026-02-01 09:00'));
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toEqual([]);
    await expectMatchesFullBuild(t);
    t.clock.now = new Date('2026-02-01T08:00:00Z');
    await publishDue(t.deps);
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toEqual([
      ['sv', URL_OF('sv-simhallen')],
    ]);
    await expectMatchesFullBuild(t);

    // Reconcile finds nothing to repair in the state the pipeline left.
    const report = await reconcile(t.deps);
    expect(report).toMatchObject({
      resynced: [],
      windowsRebuilt: [],
      translationGroupsRepaired: [],
      publicFiles: { written: [], deleted: [] },
    });
    // A group document lost is rebuilt from the records, so the next upload links again.
    const group = translationGroupKey('uimahalli-2025');
    await t.bucket.delete(group);
    expect((await reconcile(t.deps)).translationGroupsRepaired).toEqual([group]);
    await t.upload(FI, finnish({ summary: 'Avautuu kesäkuussa.' }));
    expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toHaveLength(1);
    await expectMatchesFullBuild(t);
  });

  it('costs the same requests to link a pair in an archive of 4 and of 24 other releases', async () => {
    const requests: number[] = [];
    for (const others of [4, 24]) {
      const t = await testPipeline();
      const records = [];
      for (let i = 0; i < others; i += 1) {
        const key = `releases/2025/muu ${i}.md`;
        const date = `2025-0${1 + (i % 5)}-${String(1 + (i % 28)).padStart(2, '0')} 09:00`;
        await t.bucket.put(key, releaseText(`Muu ${i}`, date));
        records.push(s3Record(t.bucketName, key, 'created'));
      }
      await t.handle({ Records: records });
      await t.upload(FI, finnish());
      const bucket = countingStore(t.bucket);
      const publicSite = countingStore(t.publicSite);
      const handle = publishReleaseHandler({
        ...t.deps,
        bucket: bucket.store,
        publicSite: publicSite.store,
      });
      await t.bucket.put(SV, swedish());
      await handle({ Records: [s3Record(t.bucketName, SV, 'created')] });
      requests.push(bucket.requests() + publicSite.requests());
      expect((await linksOf(t.publicSite, '2025-uimahalli')).visible).toHaveLength(1);
      expect(await expectMatchesFullBuild(t)).toBeGreaterThan(others);
    }
    expect(requests[0]).toBeGreaterThan(10);
    expect(requests[1]).toBe(requests[0]);
  }, 120_000);
});

describe('withdrawn pages in the pipeline', () => {
  it('keep an address withdrawn until another release takes it, and come back when that one goes', async () => {
    const t = await testPipeline();
    await t.upload(
      'releases/a.md',
      releaseText('Ensimmäinen', '2025-03-01 10:00', { slug: 'tori' }),
    );
    await t.remove('releases/a.md');
    const withdrawn = (await text(t.publicSite, 'releases/tori.html')) ?? '';
    expect(withdrawn).toContain('Ensimmäinen');
    expect(withdrawn).toContain('content="noindex"');
    expect(await text(t.bucket, 'state/withdrawn/tori.json')).toContain('"key":"releases/a.md"');
    await expectMatchesFullBuild(t);

    // Another file claims the freed address: its page replaces the notice.
    await t.upload('releases/b.md', releaseText('Toinen', '2025-04-01 10:00', { slug: 'tori' }));
    expect(await text(t.publicSite, 'releases/tori.html')).toContain('<h1>Toinen</h1>');
    await expectMatchesFullBuild(t);
    // Moved under embargo, it leaves the address to the earlier notice again.
    await t.upload('releases/b.md', releaseText('Toinen', '2026-04-01 10:00', { slug: 'tori' }));
    expect(await text(t.publicSite, 'releases/tori.html')).toContain('Ensimmäinen');
    await expectMatchesFullBuild(t);
    // Published and then deleted, its own notice is the newest.
    await t.upload('releases/b.md', releaseText('Toinen', '2025-04-01 10:00', { slug: 'tori' }));
    await t.remove('releases/b.md');
    const second = (await text(t.publicSite, 'releases/tori.html')) ?? '';
    expect(second).toContain('Toinen');
    expect(second).not.toContain('Ensimmäinen');
    await expectMatchesFullBuild(t);

    // Reconcile keeps the notice, removes a page no release ever had, and rewrites a lost notice.
    await t.publicSite.put('releases/keksitty.html', '<p>ei koskaan</p>');
    await t.publicSite.delete('releases/tori.html');
    const report = await reconcile(t.deps);
    expect(report.publicFiles).toEqual({
      written: ['releases/tori.html'],
      deleted: ['releases/keksitty.html'],
    });
    expect(await text(t.publicSite, 'releases/tori.html')).toBe(second);
    await expectMatchesFullBuild(t);
  });

  it('is not written for a release deleted before it was ever public', async () => {
    const t = await testPipeline();
    await t.upload('releases/tuleva.md', releaseText('Tuleva', '2026-05-01 10:00'));
    await t.remove('releases/tuleva.md');
    expect(await t.publicSite.get('releases/tuleva.html')).toBeUndefined();
    expect(await t.bucket.get('state/withdrawn/tuleva.json')).toBeUndefined();
    await expectMatchesFullBuild(t);
  });
});
