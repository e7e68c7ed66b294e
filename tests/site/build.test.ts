import { describe, expect, it } from 'vitest';
import { feedScopes, inScope } from '../../src/feeds/scopes.js';
import { localMonth } from '../../src/pages/archive-page.js';
import type { Release } from '../../src/release/types.js';
import { shortHash } from '../../src/shared/text.js';
import {
  archiveFile,
  buildSite,
  CACHE_CONTROL,
  feedFiles,
  indexFile,
  monthArchiveFile,
  publishedBy,
  releasePageFile,
  resolveSlugCollisions,
} from '../../src/site/build.js';
import type { SiteFile } from '../../src/site/config.js';
import { releaseMonths, yearsOf } from '../../src/site/files.js';
import { newestFirst } from '../../src/site/order.js';
import { jsonFeedProblems, parseFeed } from '../support/feed-check.js';
import { awkwardReleases, makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const releases = [...realisticReleases(), ...awkwardReleases()];

function byPath(files: readonly SiteFile[]): Map<string, SiteFile> {
  return new Map(files.map((file) => [file.path, file]));
}

/** A deterministic shuffle, so the test is repeatable. */
function shuffled<T>(values: readonly T[], seed: number): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('buildSite', () => {
  const { files } = buildSite(releases, TEST_SITE, NOW);
  const site = byPath(files);

  it('writes every feed scope, a page per release, the index, each archive year and month', () => {
    const paths = files.map((file) => file.path);
    for (const scope of feedScopes(releases)) {
      expect(paths).toContain(`${scope.folder}atom.xml`);
      expect(paths).toContain(`${scope.folder}rss.xml`);
      expect(paths).toContain(`${scope.folder}feed.json`);
    }
    for (const release of releases) expect(paths).toContain(`releases/${release.slug}.html`);
    expect(paths).toContain('index.html');
    expect(paths.filter((path) => /^archive\/\d{4}\.html$/.test(path))).toEqual([
      'archive/2020.html',
      'archive/2021.html',
    ]);
    const months = releaseMonths(publishedBy(releases, NOW), TEST_SITE);
    expect(months.length).toBeGreaterThanOrEqual(2);
    expect(paths.filter((path) => /^archive\/\d{4}\/\d{2}\.html$/.test(path))).toEqual(
      months.map((month) => `archive/${month.replace('-', '/')}.html`).sort(),
    );
    expect(paths.filter((path) => /^sitemaps\/\d{4}-\d{2}\.xml$/.test(path))).toEqual(
      months.map((month) => `sitemaps/${month}.xml`).sort(),
    );
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('labels each file with its content type and cache policy', () => {
    expect(site.get('feeds/atom.xml')).toMatchObject({
      contentType: 'application/atom+xml; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    expect(site.get('feeds/lang/sv/rss.xml')?.contentType).toBe(
      'application/rss+xml; charset=utf-8',
    );
    expect(site.get('feeds/category/tiedote/feed.json')?.contentType).toBe('application/feed+json');
    expect(site.get('index.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: CACHE_CONTROL.index,
    });
    expect(site.get('releases/news-library.html')?.cacheControl).toBe('public, max-age=3600');
    expect(site.get('archive/2020.html')?.cacheControl).toBe(CACHE_CONTROL.archive);
  });

  it('produces feeds a reader accepts', () => {
    for (const file of files.filter((f) => f.path.startsWith('feeds/'))) {
      if (file.path.endsWith('.json')) {
        expect(jsonFeedProblems(file.body), file.path).toEqual([]);
      } else {
        expect(parseFeed(file.body).bozo, file.path).toBe(false);
      }
    }
  });

  it('is byte-identical for the same releases in any order', () => {
    for (const seed of [1, 2, 3]) {
      const again = buildSite(shuffled(releases, seed), TEST_SITE, NOW);
      expect(again.files).toEqual(files);
    }
  });

  it('keeps at most site.feedLimit items per feed, newest first', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      makeRelease({ sourcePath: `m/${i}.md`, published: new Date(Date.UTC(2021, 0, 1, i)) }),
    );
    const small = { ...TEST_SITE, feedLimit: 5 };
    const feed = JSON.parse(
      byPath(buildSite(many, small, NOW).files).get('feeds/feed.json')?.body ?? '',
    );
    expect(feed.items.map((item: { url: string }) => item.url)).toEqual(
      [11, 10, 9, 8, 7].map((i) => `${TEST_SITE.siteUrl}/releases/m-${i}.html`),
    );
  });

  it('builds a valid empty site from no releases', () => {
    const empty = buildSite([], TEST_SITE, NOW).files;
    expect(empty.map((file) => file.path)).toEqual([
      '404.html',
      'favicon.svg',
      'feeds/atom.xml',
      'feeds/feed.json',
      'feeds/rss.xml',
      'index.html',
      'sitemap.xml',
      'sitemaps/pages.xml',
      'theme.css',
    ]);
    expect(parseFeed(byPath(empty).get('feeds/atom.xml')?.body ?? '').bozo).toBe(false);
  });
});

describe('embargo', () => {
  const secret = makeRelease({
    sourcePath: 'salainen.md',
    title: 'Salainen vielä',
    summary: 'Ei vielä julkinen.',
    category: 'Salaisuus',
    categorySlug: 'salaisuus',
    lang: 'se',
    published: new Date('2026-01-01T00:00:01Z'),
  });
  const onTheDot = makeRelease({
    sourcePath: 'tasan.md',
    title: 'Tasan nyt',
    published: NOW,
  });

  it('leaves a release published after now out of every file', () => {
    const { files } = buildSite([...releases, secret, onTheDot], TEST_SITE, NOW);
    for (const file of files) {
      expect(file.body, file.path).not.toContain('Salainen vielä');
      expect(file.body, file.path).not.toContain(secret.id);
      expect(file.path).not.toContain('salainen');
      expect(file.path).not.toContain('salaisuus');
      expect(file.path).not.toContain('lang/se/');
    }
    expect(byPath(files).get('feeds/atom.xml')?.body).toContain('Tasan nyt');
    expect(byPath(files).get('archive/2026/01.html')?.body).toContain('Tasan nyt');
    expect(byPath(files).get('archive/2026.html')?.body).toContain('href="2026/01.html"');
  });

  it('publishes it once now reaches its time', () => {
    const later = buildSite([...releases, secret], TEST_SITE, new Date('2026-01-01T00:00:01Z'));
    const site = byPath(later.files);
    expect(site.get('releases/salainen.html')?.body).toContain('Salainen vielä');
    expect(site.get('feeds/lang/se/atom.xml')?.body).toContain('Salainen vielä');
    expect(site.get('feeds/category/salaisuus/rss.xml')?.body).toContain('Salainen vielä');
    expect(site.get('index.html')?.body).toContain('Salainen vielä');
    expect(site.get('archive/2026/01.html')?.body).toContain('Salainen vielä');
  });

  it('keeps releases published at or before now', () => {
    expect(publishedBy([secret, onTheDot], NOW)).toEqual([onTheDot]);
  });
});

describe('slug collisions', () => {
  const first = makeRelease({ sourcePath: 'a/uimahalli.md', slug: 'uimahalli', title: 'Eka' });
  const second = makeRelease({ sourcePath: 'b/uimahalli.md', slug: 'uimahalli', title: 'Toka' });
  const third = makeRelease({ sourcePath: 'c/uimahalli.md', slug: 'uimahalli', title: 'Kolmas' });

  it('lets the first path keep the slug and suffixes the others with their path hash', () => {
    const resolved = resolveSlugCollisions([third, first, second], TEST_SITE);
    expect(resolved.map((release) => release.slug)).toEqual([
      `uimahalli-${shortHash('c/uimahalli.md')}`,
      'uimahalli',
      `uimahalli-${shortHash('b/uimahalli.md')}`,
    ]);
    expect(resolved[2]?.url).toBe(
      `${TEST_SITE.siteUrl}/releases/uimahalli-${shortHash('b/uimahalli.md')}.html`,
    );
    expect(resolved[1]).toBe(first);
  });

  it('resolves the same way in any input order', () => {
    const a = resolveSlugCollisions([first, second, third], TEST_SITE);
    const b = resolveSlugCollisions([third, second, first], TEST_SITE);
    const slugOf = (list: Release[]) =>
      Object.fromEntries(list.map((release) => [release.sourcePath, release.slug]));
    expect(slugOf(b)).toEqual(slugOf(a));
  });

  it('never hands out a slug that another release has as its own', () => {
    const squatter = makeRelease({
      sourcePath: 'z.md',
      slug: `uimahalli-${shortHash('b/uimahalli.md')}`,
    });
    const resolved = resolveSlugCollisions([first, second, squatter], TEST_SITE);
    const slugs = resolved.map((release) => release.slug);
    expect(new Set(slugs).size).toBe(3);
    expect(slugs[1]).toBe(`uimahalli-${shortHash('b/uimahalli.md', 8)}`);
    expect(slugs[2]).toBe(squatter.slug);
  });

  it('gives each colliding release its own page and links feeds to it', () => {
    const { files } = buildSite([second, first], TEST_SITE, NOW);
    const site = byPath(files);
    const moved = `releases/uimahalli-${shortHash('b/uimahalli.md')}.html`;
    expect(site.get('releases/uimahalli.html')?.body).toContain('<h1>Eka</h1>');
    expect(site.get(moved)?.body).toContain('<h1>Toka</h1>');
    expect(site.get(moved)?.body).toContain(
      `<link rel="canonical" href="${TEST_SITE.siteUrl}/${moved}">`,
    );
    const atom = parseFeed(site.get('feeds/atom.xml')?.body ?? '');
    expect(atom.entries.map((entry) => entry.link).sort()).toEqual(
      [`${TEST_SITE.siteUrl}/releases/uimahalli.html`, `${TEST_SITE.siteUrl}/${moved}`].sort(),
    );
  });

  it('keeps a published page at its URL while an embargoed release shares its slug', () => {
    const embargoed = { ...first, published: new Date('2027-01-01T00:00:00Z') };
    const { files } = buildSite([embargoed, second], TEST_SITE, NOW);
    const paths = files.map((file) => file.path);
    expect(paths).toContain(`releases/uimahalli-${shortHash('b/uimahalli.md')}.html`);
    expect(paths).not.toContain('releases/uimahalli.html');
  });
});

describe('per-file renderers', () => {
  // The incremental publisher rebuilds single files from just their inputs; they must match.
  const { files } = buildSite(releases, TEST_SITE, NOW);
  const site = byPath(files);
  const live = newestFirst(publishedBy(resolveSlugCollisions(releases, TEST_SITE), NOW));
  const scopes = feedScopes(live);

  it("render a scope's feeds from its newest releases alone", () => {
    for (const scope of scopes) {
      const own = newestFirst(
        live.filter((release) => inScope(scope, release)),
        TEST_SITE.feedLimit,
      );
      for (const file of feedFiles(scope, [...own].reverse(), TEST_SITE)) {
        expect(file).toEqual(site.get(file.path));
      }
    }
  });

  it('render a release page from the release alone', () => {
    for (const release of live) {
      const file = releasePageFile(release, TEST_SITE);
      expect(file).toEqual(site.get(file.path));
    }
  });

  it('render the index from the newest releases, the scopes and the years', () => {
    const latest = live.slice(0, 50).reverse();
    const years = yearsOf(releaseMonths(live, TEST_SITE));
    const file = indexFile(latest, TEST_SITE, scopes, years);
    expect(file).toEqual(site.get('index.html'));
  });

  it("render a month's archive page from that month's releases alone, a year's from its months", () => {
    const months = releaseMonths(live, TEST_SITE);
    for (const month of months) {
      const own = live.filter(
        (release) => localMonth(release.published, TEST_SITE.timeZone) === month,
      );
      const file = monthArchiveFile(month, [...own].reverse(), TEST_SITE);
      expect(file).toEqual(site.get(`archive/${month.replace('-', '/')}.html`));
    }
    for (const year of yearsOf(months)) {
      const file = archiveFile(year, [...months].reverse(), TEST_SITE);
      expect(file).toEqual(site.get(`archive/${year}.html`));
    }
  });
});
