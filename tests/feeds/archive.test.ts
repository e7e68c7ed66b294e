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
import type { SiteFile } from '../../src/site/config.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
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

const releases = [...spreadReleases(), ...realisticReleases(), ...awkwardReleases()];
const files = new Map(buildSite(releases, TEST_SITE, NOW).files.map((f) => [f.path, f]));
const live = releases.filter((release) => release.published <= NOW);

function body(url: string): string {
  const path = url.slice(`${TEST_SITE.siteUrl}/`.length);
  const file = files.get(path) as SiteFile | undefined;
  if (file === undefined) throw new Error(`no file at ${path}`);
  return file.body;
}

function linkOf(parsed: ReturnType<typeof parseFeed>, rel: string): string | undefined {
  return parsed.feed.links.find((link) => link.rel === rel)?.href ?? undefined;
}

/** Every entry id met following prev-archive from the scope's subscription feed, with the pages. */
function walk(scope: FeedScope, format: 'atom.xml' | 'rss.xml'): { ids: string[]; pages: number } {
  const ids: string[] = [];
  let url: string | undefined = `${TEST_SITE.siteUrl}/${scope.folder}${format}`;
  let pages = 0;
  let subscription = true;
  while (url !== undefined) {
    const xml = body(url);
    expect(xmllintErrors(xml)).toBe('');
    const parsed = parseFeed(xml);
    expect(parsed.bozo).toBe(false);
    if (subscription) subscription = false;
    else {
      pages += 1;
      expect(xml).toContain('<fh:archive');
      ids.push(...parsed.entries.map((entry) => entry.id ?? ''));
    }
    url = linkOf(parsed, 'prev-archive');
  }
  return { ids, pages };
}

describe('RFC 5005 archived feeds', () => {
  const scopes: FeedScope[] = [ALL_SCOPE, categoryScope('kuulutus', 'Kuulutus'), langScope('sv')];
  for (const scope of scopes) {
    for (const format of ['atom.xml', 'rss.xml'] as const) {
      it(`following prev-archive from ${scope.folder}${format} reaches every release once`, () => {
        const expected = live.filter((release) => inScope(scope, release)).map((r) => r.id);
        const months = new Set(
          live
            .filter((release) => inScope(scope, release))
            .map((release) => localMonth(release.published, TEST_SITE.timeZone)),
        );
        const { ids, pages } = walk(scope, format);
        expect(ids.length).toBe(expected.length);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual([...expected].sort());
        expect(pages).toBe(months.size);
        expect(pages).toBeGreaterThan(10);
      });
    }
  }

  it('JSON Feed next_url pages over the same months, with the subscription feed ids first', () => {
    const ids: string[] = [];
    let url: string | undefined = `${TEST_SITE.siteUrl}/feeds/feed.json`;
    const first = JSON.parse(body(url)) as { next_url?: string };
    url = first.next_url;
    let pages = 0;
    while (url !== undefined) {
      const text = body(url);
      expect(jsonFeedProblems(text)).toEqual([]);
      const page = JSON.parse(text) as { next_url?: string; items: { id: string }[] };
      ids.push(...page.items.map((item) => item.id));
      pages += 1;
      url = page.next_url;
    }
    expect([...ids].sort()).toEqual(live.map((release) => release.id).sort());
    expect(pages).toBe(new Set(live.map((r) => localMonth(r.published, TEST_SITE.timeZone))).size);
  });

  it('archive pages link back to the subscription feed and forward to the newer month', () => {
    const paths = [...files.keys()].filter((path) =>
      /^feeds\/archive\/[0-9-]+\/atom\.xml$/.test(path),
    );
    const newestFirst = paths.sort().reverse();
    const [newest, older] = newestFirst;
    const parsed = parseFeed(files.get(older as string)?.body ?? '');
    expect(linkOf(parsed, 'current')).toBe(`${TEST_SITE.siteUrl}/feeds/atom.xml`);
    expect(linkOf(parsed, 'next-archive')).toBe(`${TEST_SITE.siteUrl}/${newest}`);
    expect(
      linkOf(parseFeed(files.get(newest as string)?.body ?? ''), 'next-archive'),
    ).toBeUndefined();
  });

  it('archive entries carry the same ids as the subscription feed', () => {
    const subscription = parseFeed(body(`${TEST_SITE.siteUrl}/feeds/atom.xml`));
    const first = subscription.entries[0];
    const page = parseFeed(body(linkOf(subscription, 'prev-archive') as string));
    expect(page.entries.map((entry) => entry.id)).toContain(first?.id);
  });
});
