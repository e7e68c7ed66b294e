import { describe, expect, it } from 'vitest';
import {
  ALL_SCOPE,
  categoryScope,
  type FeedScope,
  inScope,
  langScope,
} from '../../src/feeds/scopes.js';
import { localMonth } from '../../src/pages/archive-page.js';
import type { Release } from '../../src/release/types.js';
import { buildSite } from '../../src/site/build.js';
import {
  jsonFeedProblems,
  type ParsedFeed,
  parseFeeds,
  xmllintErrorsOf,
} from '../support/feed-check.js';
import { awkwardReleases, makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const CATEGORIES = [
  ['tiedote', 'Tiedote'],
  ['kuulutus', 'Kuulutus'],
  ['paatos', 'Päätös'],
] as const;
const LANGS = ['fi', 'sv', 'en'] as const;

/** 120 releases over about three years, three categories and three languages, some sharing a minute. */
function spreadReleases(): Release[] {
  return Array.from({ length: 120 }, (_, i) => {
    const [categorySlug, category] = CATEGORIES[i % 3] as (typeof CATEGORIES)[number];
    return makeRelease({
      sourcePath: `arkisto/${i}.md`,
      title: `Tiedote ${i} & <muuta>`,
      categorySlug,
      category,
      lang: LANGS[Math.floor(i / 3) % 3] as string,
      published: new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 2) * 9 * 86_400_000 + 3_600_000),
    });
  });
}

// One embargoed release: it must be in no archive page.
const embargoed = makeRelease({ sourcePath: 'tuleva.md', published: new Date('2026-03-01') });
const releases = [...spreadReleases(), ...realisticReleases(), ...awkwardReleases(), embargoed];
const files = new Map(buildSite(releases, TEST_SITE, NOW).files.map((f) => [f.path, f.body]));
const live = releases.filter((release) => release.published <= NOW);
const SCOPES: FeedScope[] = [ALL_SCOPE, categoryScope('kuulutus', 'Kuulutus'), langScope('sv')];

// Every Atom and RSS file of the site, read by feedparser in one process.
const xmlPaths = [...files.keys()].filter((path) => /(atom|rss)\.xml$/.test(path));
const parsed = new Map<string, ParsedFeed>(
  parseFeeds(xmlPaths.map((path) => files.get(path) ?? '')).map((feed, i) => [
    xmlPaths[i] as string,
    feed,
  ]),
);

function pathOf(url: string): string {
  expect(url.startsWith(`${TEST_SITE.siteUrl}/`), url).toBe(true);
  return url.slice(`${TEST_SITE.siteUrl}/`.length);
}

function linkOf(feed: ParsedFeed | undefined, rel: string): string | undefined {
  return feed?.feed.links.find((link) => link.rel === rel)?.href ?? undefined;
}

/** The archive pages met following prev-archive from the scope's subscription feed, in order. */
function walk(scope: FeedScope, format: 'atom.xml' | 'rss.xml'): string[] {
  const pages: string[] = [];
  let url = linkOf(parsed.get(`${scope.folder}${format}`), 'prev-archive');
  while (url !== undefined) {
    const path = pathOf(url);
    expect(pages, 'a loop in the archive chain').not.toContain(path);
    pages.push(path);
    url = linkOf(parsed.get(path), 'prev-archive');
  }
  return pages;
}

function monthsOf(scope: FeedScope): Set<string> {
  return new Set(
    live
      .filter((release) => inScope(scope, release))
      .map((release) => localMonth(release.published, TEST_SITE.timeZone)),
  );
}

describe('RFC 5005 archived feeds', () => {
  for (const scope of SCOPES) {
    for (const format of ['atom.xml', 'rss.xml'] as const) {
      it(`following prev-archive from ${scope.folder}${format} reaches every release once`, () => {
        const expected = live.filter((release) => inScope(scope, release)).map((r) => r.id);
        const pages = walk(scope, format);
        const ids: string[] = [];
        for (const path of pages) {
          const page = parsed.get(path);
          expect(page?.bozo, path).toBe(false);
          expect(files.get(path)).toContain('<fh:archive');
          ids.push(...(page?.entries ?? []).map((entry) => entry.id ?? ''));
        }
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(expected.length);
        expect([...ids].sort()).toEqual([...expected].sort());
        // One page per month with releases in the scope, newest first, every one reached.
        expect(pages.map((path) => /archive\/([0-9-]+)\./.exec(path)?.[1])).toEqual(
          [...monthsOf(scope)].sort().reverse(),
        );
        expect(pages.length).toBeGreaterThan(10);
      });
    }

    it(`JSON Feed next_url from ${scope.folder}feed.json pages over the same months`, () => {
      const ids: string[] = [];
      const first = JSON.parse(files.get(`${scope.folder}feed.json`) ?? '') as {
        next_url?: string;
      };
      let url = first.next_url;
      let pages = 0;
      while (url !== undefined) {
        const text = files.get(pathOf(url)) ?? '';
        expect(jsonFeedProblems(text)).toEqual([]);
        const page = JSON.parse(text) as { next_url?: string; items: { id: string }[] };
        ids.push(...page.items.map((item) => item.id));
        pages += 1;
        url = page.next_url;
      }
      const expected = live.filter((release) => inScope(scope, release)).map((r) => r.id);
      expect(ids.length).toBe(expected.length);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(pages).toBe(monthsOf(scope).size);
    });
  }

  it('every archive page is well-formed XML that feedparser reads without complaint', () => {
    const archivePaths = xmlPaths.filter((path) => path.includes('/archive/'));
    expect(archivePaths.length).toBeGreaterThan(100);
    expect(
      xmllintErrorsOf(archivePaths.map((path) => files.get(path) ?? '')).filter(Boolean),
    ).toEqual([]);
    for (const path of archivePaths) expect(parsed.get(path)?.bozo, path).toBe(false);
  });

  it('archive pages link back to the subscription feed and forward to the newer month', () => {
    const paths = [...files.keys()]
      .filter((path) => /^feeds\/archive\/[0-9-]+\.atom\.xml$/.test(path))
      .sort()
      .reverse();
    const [newest, older] = paths;
    const page = parsed.get(older as string);
    expect(linkOf(page, 'current')).toBe(`${TEST_SITE.siteUrl}/feeds/atom.xml`);
    expect(linkOf(page, 'next-archive')).toBe(`${TEST_SITE.siteUrl}/${newest}`);
    expect(linkOf(parsed.get(newest as string), 'next-archive')).toBeUndefined();
    expect(linkOf(parsed.get(paths.at(-1) as string), 'prev-archive')).toBeUndefined();
    expect(linkOf(page, 'self')).toBe(`${TEST_SITE.siteUrl}/${older}`);
    expect(page?.feed.subtitle).toMatch(/^Arkisto: /);
  });

  it('archive entries are the subscription entries without their bodies: same ids and facts', () => {
    for (const scope of SCOPES) {
      for (const format of ['atom.xml', 'rss.xml'] as const) {
        const archived = new Map(
          walk(scope, format).flatMap((path) =>
            (parsed.get(path)?.entries ?? []).map((entry) => [entry.id, entry] as const),
          ),
        );
        const subscription = parsed.get(`${scope.folder}${format}`)?.entries ?? [];
        expect(subscription.length).toBeGreaterThan(10);
        for (const entry of subscription) {
          const { content: _content, summary: _s, summaryType: _t, ...facts } = entry;
          const {
            content,
            summary: _s2,
            summaryType: _t2,
            ...kept
          } = archived.get(entry.id) ?? {
            content: [],
          };
          expect(kept, `${scope.folder}${format} ${entry.id}`).toEqual(facts);
          expect(content).toEqual([]);
        }
      }
    }
  });
});
