import {
  type ArchiveMonthFeeds,
  type ArchiveNeighbours,
  archiveFeedPaths,
  linkToArchive,
} from '../feeds/archive.js';
import { type RenderedFeeds, renderFeeds } from '../feeds/render.js';
import { FEED_FILES, type FeedScope, inScope } from '../feeds/scopes.js';
import {
  type ArchiveMonth,
  localMonth,
  renderArchivePage,
  renderMonthArchivePage,
} from '../pages/archive-page.js';
import { renderIndexPage } from '../pages/index-page.js';
import { renderReleasePage } from '../pages/release-page.js';
import { lastChanged, type Release } from '../release/types.js';
import { legacyCategoryFeeds } from './categories.js';
import type { SiteConfig, SiteFile } from './config.js';
import { newestFirst } from './order.js';
import { renderSitemapIndex, renderUrlSet } from './sitemap.js';
import { releasePagePath } from './slugs.js';

/** Content types of the public site (docs/architecture.md). */
const CONTENT_TYPES = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json',
  html: 'text/html; charset=utf-8',
  sitemap: 'application/xml; charset=utf-8',
} as const;

/**
 * Cache-Control per kind of file. Feeds, the front page and archive pages change whenever a
 * release is published, so shared caches keep them 5 minutes; a release page changes only when
 * that release is edited, so an hour.
 */
export const CACHE_CONTROL = {
  feed: 'public, max-age=300',
  index: 'public, max-age=300',
  archive: 'public, max-age=300',
  sitemap: 'public, max-age=300',
  releasePage: 'public, max-age=3600',
} as const;

/**
 * The Atom, RSS and JSON files of `scope`. `releases` may be any superset of the scope's releases
 * in any order: the scope's newest `site.feedLimit` are taken from it, so the files depend only on
 * those.
 */
export function feedFiles(
  scope: FeedScope,
  releases: readonly Release[],
  site: SiteConfig,
): SiteFile[] {
  const latest = newestFirst(
    releases.filter((release) => inScope(scope, release)),
    site.feedLimit,
  );
  const newest = latest[0];
  const newestMonth =
    newest === undefined ? undefined : localMonth(newest.published, site.timeZone);
  // Every copy links to the one archive, in the category's own folder.
  const render = (copy: FeedScope): SiteFile[] => {
    const feeds = renderFeeds(copy, latest, site);
    const paths = {
      atom: copy.folder + FEED_FILES.atom,
      rss: copy.folder + FEED_FILES.rss,
      json: copy.folder + FEED_FILES.json,
    };
    return feedTrio(paths, linkToArchive(scope, feeds, newestMonth, site));
  };
  const files = render(scope);
  if (scope.kind !== 'category') return files;
  // Readers subscribed to a label's old feed (feeds/category/pressmeddelande/) keep getting the
  // category, as a redirect would give them; each copy names its own address as `self`.
  for (const legacy of legacyCategoryFeeds(scope.categorySlug, site.categories)) {
    files.push(...render({ ...scope, folder: legacyFeedFolder(legacy.slug) }));
  }
  return files;
}

/** The folder of a category label's old feed: `feeds/category/<slug>/`. */
function legacyFeedFolder(slug: string): string {
  return `feeds/category/${slug}/`;
}

/** Every feed file of category scope `scope`, its old label folders' included (for deletion). */
export function categoryFeedPaths(
  scope: { categorySlug: string; folder: string },
  site: SiteConfig,
): string[] {
  const folders = [
    scope.folder,
    ...legacyCategoryFeeds(scope.categorySlug, site.categories).map((legacy) =>
      legacyFeedFolder(legacy.slug),
    ),
  ];
  return folders.flatMap((folder) => Object.values(FEED_FILES).map((name) => folder + name));
}

/**
 * The RFC 5005 archive page of `scope` for the month `feeds` holds
 * (`<scope folder>archive/<YYYY-MM>.{atom.xml,rss.xml,feed.json}`). Depends only on the month's
 * releases in the scope (without their bodies) and on the scope's neighbouring months that have
 * releases.
 */
export function feedArchiveFiles(
  feeds: ArchiveMonthFeeds,
  scope: FeedScope,
  neighbours: ArchiveNeighbours,
): SiteFile[] {
  return feedTrio(archiveFeedPaths(scope, feeds.month), feeds.render(scope, neighbours));
}

/** The months of `months` (newest first) around `month`: the older one and the newer one. */
export function neighboursIn(
  months: readonly ArchiveMonth[],
  month: ArchiveMonth,
): ArchiveNeighbours {
  const at = months.indexOf(month);
  const prev = at === -1 ? months.find((other) => other < month) : months[at + 1];
  const newer = months.filter((other) => other > month);
  const next = newer[newer.length - 1];
  return { ...(prev === undefined ? {} : { prev }), ...(next === undefined ? {} : { next }) };
}

function feedTrio(
  paths: { atom: string; rss: string; json: string },
  feeds: RenderedFeeds,
): SiteFile[] {
  const file = (path: string, body: string, contentType: string): SiteFile => ({
    path,
    body,
    contentType,
    cacheControl: CACHE_CONTROL.feed,
  });
  return [
    file(paths.atom, feeds.atom, CONTENT_TYPES.atom),
    file(paths.rss, feeds.rss, CONTENT_TYPES.rss),
    file(paths.json, feeds.json, CONTENT_TYPES.json),
  ];
}

/** `releases/<slug>.html`; depends only on the release (with its resolved slug) and the site. */
export function releasePageFile(release: Release, site: SiteConfig): SiteFile {
  return {
    path: releasePagePath(release.slug),
    body: renderReleasePage(release, site),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL.releasePage,
  };
}

/**
 * `index.html`; depends on the newest releases (any superset may be passed), the scopes (for the
 * feed links and the form's categories) and the archive years.
 */
export function indexFile(
  releases: readonly Release[],
  site: SiteConfig,
  scopes: readonly FeedScope[],
  years: readonly number[],
): SiteFile {
  return {
    path: 'index.html',
    body: renderIndexPage(releases, site, scopes, years),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL.index,
  };
}

/** `archive/<year>.html`: links to the year's months; depends only on the months with releases. */
export function archiveFile(
  year: number,
  months: readonly ArchiveMonth[],
  site: SiteConfig,
): SiteFile {
  return {
    path: archivePagePath(year),
    body: renderArchivePage(year, months, site),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL.archive,
  };
}

/** `archive/<year>/<mm>.html`; depends only on that month's releases (others are ignored). */
export function monthArchiveFile(
  month: ArchiveMonth,
  releases: readonly Release[],
  site: SiteConfig,
): SiteFile {
  return {
    path: monthArchivePath(month),
    body: renderMonthArchivePage(month, releases, site),
    contentType: CONTENT_TYPES.html,
    cacheControl: CACHE_CONTROL.archive,
  };
}

/** Path of a year's archive page (the index of its months) relative to the site root. */
export function archivePagePath(year: number): string {
  return `archive/${year}.html`;
}

/** Path of a month's archive page relative to the site root. */
export function monthArchivePath(month: ArchiveMonth): string {
  return `archive/${month.replace('-', '/')}.html`;
}

/** Path of the sitemap index: search engines are pointed here (docs/architecture.md). */
const SITEMAP_INDEX_PATH = 'sitemap.xml';

/** Path of the sitemap of the front page and the archive pages. */
const PAGES_SITEMAP_PATH = 'sitemaps/pages.xml';

/** Path of a month's sitemap (its release pages) relative to the site root. */
export function monthSitemapPath(month: ArchiveMonth): string {
  return `sitemaps/${month}.xml`;
}

/**
 * `sitemap.xml` and `sitemaps/pages.xml`; depend only on the months with releases (newest first)
 * and so on their years.
 */
export function sitemapFiles(months: readonly ArchiveMonth[], site: SiteConfig): SiteFile[] {
  const at = (path: string) => `${site.siteUrl}/${path}`;
  const years = yearsOf(months);
  return [
    sitemapFile(
      SITEMAP_INDEX_PATH,
      renderSitemapIndex([PAGES_SITEMAP_PATH, ...months.map(monthSitemapPath)].map(at)),
    ),
    sitemapFile(
      PAGES_SITEMAP_PATH,
      renderUrlSet([
        { loc: `${site.siteUrl}/` },
        ...years.map((year) => ({ loc: at(archivePagePath(year)) })),
        ...months.map((month) => ({ loc: at(monthArchivePath(month)) })),
      ]),
    ),
  ];
}

/**
 * `sitemaps/<YYYY-MM>.xml`: the month's release pages, each with its translations as
 * `xhtml:link` alternates; depends only on that month's releases (translations linked).
 */
export function monthSitemapFile(
  month: ArchiveMonth,
  releases: readonly Release[],
  site: SiteConfig,
): SiteFile {
  const ofMonth = releases.filter(
    (release) => localMonth(release.published, site.timeZone) === month,
  );
  return sitemapFile(
    monthSitemapPath(month),
    renderUrlSet(
      ofMonth.map((release) => ({
        loc: release.url,
        lastmod: lastChanged(release),
        alternates: sitemapAlternates(release),
      })),
    ),
  );
}

/** A translated release's language versions, itself first, as its sitemap alternates. */
function sitemapAlternates(release: Release): { lang: string; href: string }[] {
  const translations = release.translations ?? [];
  if (translations.length === 0) return [];
  return [release, ...translations].map(({ lang, url }) => ({ lang, href: url }));
}

function sitemapFile(path: string, body: string): SiteFile {
  return { path, body, contentType: CONTENT_TYPES.sitemap, cacheControl: CACHE_CONTROL.sitemap };
}

/** The months (in `site.timeZone`) that have releases, newest first. */
export function releaseMonths(
  releases: readonly Pick<Release, 'published'>[],
  site: SiteConfig,
): ArchiveMonth[] {
  const months = new Set(releases.map((release) => localMonth(release.published, site.timeZone)));
  return [...months].sort().reverse();
}

/** The years of `months`, newest first. */
export function yearsOf(months: readonly ArchiveMonth[]): number[] {
  return [...new Set(months.map((month) => Number(month.slice(0, 4))))].sort((a, b) => b - a);
}
