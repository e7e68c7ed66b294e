import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArchiveMonthFeeds,
  type ArchiveNeighbours,
  addFeedHistory,
  archiveFeedHead,
  archiveFeedUrls,
  archiveLinks,
  withNextUrl,
} from '../../src/feeds/archive.js';
import { archivedRelease } from '../../src/feeds/archive-entry.js';
import { renderAtom } from '../../src/feeds/atom.js';
import { toFeedEntry } from '../../src/feeds/entry.js';
import { renderJsonFeed } from '../../src/feeds/json.js';
import type { RenderedFeeds } from '../../src/feeds/render.js';
import { renderRss } from '../../src/feeds/rss.js';
import {
  ALL_SCOPE,
  categoryScope,
  type FeedScope,
  feedScopes,
  inScope,
} from '../../src/feeds/scopes.js';
import { localMonth } from '../../src/pages/archive-page.js';
import type { Release } from '../../src/release/types.js';
import type { SiteConfig } from '../../src/site/config.js';
import { newestFirst } from '../../src/site/order.js';
import {
  awkwardReleases,
  MEDIA_URLS,
  makeRelease,
  realisticReleases,
  releaseWithMedia,
  TEST_SITE,
} from '../support/releases.js';

/**
 * The archive pages are assembled from entries written once per release (src/feeds/archive-entry.ts)
 * instead of going through the `feed` package per page. The oracle here is the slow way: the same
 * bodiless releases through renderAtom/renderRss/renderJsonFeed (the `feed` package and our
 * post-processing, as the subscription feeds are made), with the history links added to the
 * result. Both must give the same bytes.
 */
function oracle(
  scope: FeedScope,
  month: string,
  monthReleases: readonly Release[],
  neighbours: ArchiveNeighbours,
  site: SiteConfig,
): RenderedFeeds {
  const releases = newestFirst(monthReleases.filter((release) => inScope(scope, release)));
  const entries = releases.map((release) => toFeedEntry(archivedRelease(release), site.title));
  const newest = releases[0];
  const titled =
    scope.kind === 'category' && newest !== undefined
      ? categoryScope(scope.categorySlug, newest.category)
      : scope;
  const head = archiveFeedHead(titled, month, entries, site);
  const links = archiveLinks(scope, neighbours, site);
  const older = neighbours.prev && archiveFeedUrls(scope, neighbours.prev, site).json;
  return {
    atom: addFeedHistory('atom', renderAtom(head, entries), links('atom'), true),
    rss: addFeedHistory('rss', renderRss(head, entries), links('rss'), true),
    json: withNextUrl(renderJsonFeed(head, entries), older || undefined),
  };
}

/** Every scope's page of every month of `releases`, both ways, compared. */
function expectSameAsOracle(releases: readonly Release[], site: SiteConfig): number {
  const byMonth = new Map<string, Release[]>();
  for (const release of releases) {
    const month = localMonth(release.published, site.timeZone);
    byMonth.set(month, [...(byMonth.get(month) ?? []), release]);
  }
  let pages = 0;
  for (const [month, ofMonth] of byMonth) {
    const feeds = new ArchiveMonthFeeds(month, ofMonth, site);
    for (const scope of feedScopes(releases)) {
      if (!feeds.has(scope)) continue;
      const neighbours = { prev: '2000-01', next: '2099-12' };
      expect(feeds.render(scope, neighbours)).toEqual(
        oracle(scope, month, ofMonth, neighbours, site),
      );
      expect(feeds.render(scope, {})).toEqual(oracle(scope, month, ofMonth, {}, site));
      pages += 1;
    }
  }
  return pages;
}

const withMedia = releaseWithMedia({
  published: new Date('2020-04-02T10:00:00Z'),
  translations: [{ lang: 'sv', url: `${TEST_SITE.siteUrl}/releases/sv.html`, title: 'Blogg' }],
});

const BRANDED: SiteConfig = {
  ...TEST_SITE,
  websubHub: 'https://hub.example.fi/?a=1&b="2"',
  branding: { name: { fi: 'Esimerkkilä' }, primaryColor: '#0a4f8c', logo: 'media/logo & co.svg' },
};

describe('archive pages from cached entries', () => {
  it('are byte for byte what the feed package writes for the realistic and awkward releases', () => {
    const releases = [...realisticReleases(), ...awkwardReleases(), withMedia];
    expect(expectSameAsOracle(releases, TEST_SITE)).toBeGreaterThan(10);
    expect(expectSameAsOracle(releases, BRANDED)).toBeGreaterThan(10);
  });

  it('are byte for byte what the feed package writes for generated releases', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const awkward = fc.constantFrom('&', '<', '>', '"', "'", ']]>', '&amp;', ' ', '\u0007', 'ä');
    const plain = fc
      .array(fc.oneof(text, awkward), { maxLength: 6 })
      .map((parts) => parts.join(''));
    const release = fc.record({
      title: plain.filter((title) => title.trim() !== ''),
      summary: fc.option(plain, { nil: undefined }),
      author: fc.option(plain, { nil: undefined }),
      tags: fc.array(plain, { maxLength: 3 }),
      lang: fc.constantFrom('fi', 'sv', 'en'),
      category: fc.constantFrom(
        ['Tiedote', 'tiedote'],
        ['Blogi & <muu>', 'blogi'],
        ['News', 'news'],
      ),
      day: fc.integer({ min: 0, max: 90 }),
      edited: fc.boolean(),
      image: fc.constantFrom(undefined, MEDIA_URLS.picture, 'https://muu.example/kuva?id=1&x="y"'),
    });
    fc.assert(
      fc.property(fc.array(release, { minLength: 1, maxLength: 12 }), (records) => {
        const releases = records.map((record, i) =>
          makeRelease({
            sourcePath: `generated/${i}.md`,
            title: record.title,
            summary: record.summary,
            author: record.author,
            tags: record.tags,
            lang: record.lang,
            category: record.category[0],
            categorySlug: record.category[1],
            published: new Date(Date.UTC(2024, 0, 1) + record.day * 86_400_000),
            ...(record.edited ? { updated: new Date(Date.UTC(2024, 5, 1)) } : {}),
            ...(record.image === undefined ? {} : { image: record.image }),
            ...(record.image === MEDIA_URLS.picture ? { media: withMedia.media } : {}),
          }),
        );
        expectSameAsOracle(releases, BRANDED);
      }),
      { numRuns: 150, seed: 5005 },
    );
  });

  it('leave out the body, the kicker and the links to translations', () => {
    const feeds = new ArchiveMonthFeeds('2020-04', [withMedia], TEST_SITE);
    const { atom, rss, json } = feeds.render(ALL_SCOPE, {});
    for (const page of [atom, rss, json]) {
      expect(page).not.toContain('kicker');
      expect(page).not.toContain('releases/sv.html');
    }
    expect(atom).not.toContain('<content');
    expect(rss).not.toContain('content:encoded');
    expect((JSON.parse(json) as { items: { content_html: string }[] }).items[0]?.content_html).toBe(
      '',
    );
    // The picture and the document stay, with their real types and lengths.
    expect(atom).toContain('type="application/pdf" length="580"');
    expect(rss).toContain(
      '<enclosure url="https://tiedotteet.example.fi/media/2020/kuva.jpg" length="1358"',
    );
  });
});
