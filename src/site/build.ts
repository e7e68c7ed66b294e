/**
 * The full site build: releases → every public file.
 *
 * Dependency rule: what each output file depends on, besides `SiteConfig`. The incremental
 * publisher relies on it to rewrite only the files a change affects, byte-identical to a full
 * build of the same releases. Each per-file renderer below takes any superset of its inputs in any
 * order and picks and sorts what it needs itself.
 *
 * - `feeds/…/{atom.xml,rss.xml,feed.json}` of a scope: the scope's newest `site.feedLimit`
 *   releases ({@link feedFiles}); a category scope's name is its newest release's `category`.
 *   Feeds exist for `all` always, and for a category or language only while it has releases.
 * - `feeds/…/archive/<YYYY-MM>.{atom.xml,rss.xml,feed.json}` of a scope (RFC 5005 archive
 *   pages): the scope's releases of that month without their bodies, kickers and translation
 *   links, and the scope's months that have releases, for the prev-/next-archive links
 *   ({@link feedArchiveFiles}). A scope's subscription feeds link to the archive page of the
 *   month of their newest release.
 * - `releases/<slug>.html`: that one release, with its slug resolved ({@link releasePageFile}).
 * - `index.html`: the newest `INDEX_LIMIT` (50) releases overall, plus the scopes (category slugs
 *   with their names, languages) and the years that have releases ({@link indexFile}).
 * - `archive/<year>.html`: the months of that year that have releases ({@link archiveFile}).
 * - `archive/<year>/<mm>.html` and `sitemaps/<year>-<mm>.xml`: the releases published in that
 *   month in `site.timeZone` ({@link monthArchiveFile}, {@link monthSitemapFile}). Months keep
 *   every archive file bounded, so an upload rewrites a month, not a year.
 * - `sitemap.xml`, `sitemaps/pages.xml`: the months that have releases ({@link sitemapFiles}).
 * - a withdrawn page at `releases/<slug>.html`: that one withdrawal, unless a live release has the
 *   slug ({@link withdrawnFiles}); withdrawals come from the pipeline's state, not from releases.
 * - `media/<path under releases/>`: the published media files of the live releases, each once
 *   however many releases reference it ({@link liveMedia}); their bytes are the files' own. An
 *   embargoed release's files stay private until it is published.
 *
 * Lists (index, archive) use only title, slug, summary, category, lang and published; a
 * release's `contentHtml` reaches only its own page and the feeds.
 *
 * Which releases exist at all depends on two whole-set steps that an incremental publisher must
 * repeat the same way: slug collisions are resolved over every known release, embargoed ones
 * included ({@link resolveSlugCollisions}), and then releases published after `now` are dropped
 * ({@link publishedBy}). Order everywhere is {@link newestFirst}. Nothing reads the clock.
 */
import { ArchiveMonthFeeds, type ArchiveNeighbours } from '../feeds/archive.js';
import { type FeedScope, feedScopes, inScope } from '../feeds/scopes.js';
import { publishedMedia } from '../media/published.js';
import { type ArchiveMonth, localMonth } from '../pages/archive-page.js';
import { INDEX_LIMIT } from '../pages/index-page.js';
import { siteWideFiles } from '../pages/not-found-page.js';
import { type WithdrawnRelease, withdrawnPageFile } from '../pages/withdrawn-page.js';
import type { Release } from '../release/types.js';
import type { SiteConfig, SiteFile } from './config.js';
import {
  archiveFile,
  feedArchiveFiles,
  feedFiles,
  indexFile,
  monthArchiveFile,
  monthSitemapFile,
  neighboursIn,
  releaseMonths,
  releasePageFile,
  sitemapFiles,
  yearsOf,
} from './files.js';
import { compareCodeUnits, newestFirst } from './order.js';
import { resolveSlugCollisions } from './slugs.js';
import { linkTranslations } from './translations.js';

export {
  archiveFile,
  CACHE_CONTROL,
  feedFiles,
  indexFile,
  monthArchiveFile,
  releasePageFile,
} from './files.js';
export { resolveSlugCollisions } from './slugs.js';

/** A release deleted after it was public: its page address keeps answering with a notice. */
export interface Withdrawal {
  release: WithdrawnRelease;
  withdrawnAt: Date;
}

/** Everything a build writes. */
export interface SiteBuild {
  /** Sorted by path. */
  files: SiteFile[];
}

/**
 * What the whole-set decisions read of a release: what orders, groups, names and links it. A full
 * build can plan with just this of each release and read the rest back when a file needs it
 * ({@link plannedListingFiles}).
 */
export type PlannedRelease = Pick<
  Release,
  | 'sourcePath'
  | 'slug'
  | 'url'
  | 'title'
  | 'lang'
  | 'category'
  | 'categorySlug'
  | 'published'
  | 'translationKey'
  | 'translations'
>;

/**
 * The whole releases behind planned ones (`planned` as they are in the plan: slugs resolved,
 * translations linked), with their bodies or without (`contentHtml` empty).
 */
export type ReadReleases<T extends PlannedRelease> = (
  planned: readonly T[],
  withBodies: boolean,
) => Release[];

/** The whole-set decisions of a build, taken before any file is rendered. */
export interface SitePlan<T extends PlannedRelease = Release> {
  /** The published releases, newest first, with their slugs resolved. */
  live: T[];
  scopes: FeedScope[];
  /** Years with releases, newest first. */
  years: number[];
  /** Months (`YYYY-MM`) with releases, newest first. */
  months: string[];
}

/**
 * Builds the whole public site from `releases` (any order) as of `now`: feeds for every scope,
 * a page per release, the front page and a page per archive year. The same releases and `now`
 * always give byte-identical files.
 */
export function buildSite(
  releases: readonly Release[],
  site: SiteConfig,
  now: Date,
  withdrawals: readonly Withdrawal[] = [],
): SiteBuild {
  const plan = planSite(releases, site, now);
  const files = [...listingFiles(plan, site)];
  for (const release of plan.live) {
    files.push(releasePageFile(release, site));
  }
  files.push(...withdrawnFiles(withdrawals, plan.live, site));
  files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return { files };
}

/**
 * Resolves slugs over every release, drops the embargoed ones and finds the scopes and years:
 * everything a build must know about the whole set. With the plan, each release page can be
 * rendered on its own ({@link releasePageFile}), and the rest with {@link listingFiles}.
 */
export function planSite<T extends PlannedRelease>(
  releases: readonly T[],
  site: SiteConfig,
  now: Date,
): SitePlan<T> {
  const live = newestFirst(
    linkTranslations(publishedBy(resolveSlugCollisions(releases, site), now)),
  );
  const months = releaseMonths(live, site);
  return { live, scopes: feedScopes(live), years: yearsOf(months), months };
}

/**
 * Every file of the plan except the release pages: the feeds, the front page and the archive.
 * Yielded one at a time, so a build can write each before the next is rendered: the archive
 * feed pages hold every release once per scope, too much to keep in memory at 50,000 releases.
 * They are rendered a month at a time, each release's entry once for all its scopes.
 */
export function listingFiles(plan: SitePlan, site: SiteConfig): Generator<SiteFile> {
  return plannedListingFiles(plan, site, (releases) => [...releases]);
}

/**
 * {@link listingFiles} of a plan made of {@link PlannedRelease}s, reading the whole releases back
 * with `read` only where a file shows them, a few at a time: each scope's newest `feedLimit` with
 * their bodies for its feeds, the newest {@link INDEX_LIMIT} for the front page, then one month's
 * releases after another. Memory then holds the plan and one month, not every release whole.
 */
function* plannedListingFiles<T extends PlannedRelease>(
  plan: SitePlan<T>,
  site: SiteConfig,
  read: ReadReleases<T>,
): Generator<SiteFile> {
  yield* siteListingFiles(plan, site, read);
  for (const job of archiveMonths(plan, site)) {
    yield* archiveMonthFiles({ ...job, releases: read(job.releases, false) }, site);
  }
}

/**
 * The listing files that are not a month's: every scope's feeds, the front page, the site-wide
 * pages, the sitemap index and the years' archive pages (see {@link plannedListingFiles}).
 */
export function* siteListingFiles<T extends PlannedRelease>(
  { live, scopes, years, months }: SitePlan<T>,
  site: SiteConfig,
  read: ReadReleases<T>,
): Generator<SiteFile> {
  for (const scope of scopes) {
    const latest = newestFirst(
      live.filter((release) => inScope(scope, release)),
      site.feedLimit,
    );
    yield* feedFiles(scope, read(latest, true), site);
  }
  yield indexFile(read(newestFirst(live, INDEX_LIMIT), false), site, scopes, years);
  yield* siteWideFiles(site);
  yield* sitemapFiles(months, site);
  for (const year of years) yield archiveFile(year, months, site);
}

/**
 * What a month's archive files need (see {@link archiveMonthFiles}): its releases, and the scopes
 * that have releases that month with their neighbouring months. Plain data, so it can be handed
 * to another thread.
 */
export interface ArchiveMonthJob<T extends Pick<Release, 'categorySlug' | 'lang'> = Release> {
  month: ArchiveMonth;
  releases: T[];
  scopes: { scope: FeedScope; neighbours: ArchiveNeighbours }[];
}

/** The plan's months, newest first, each with what its archive files need. */
export function archiveMonths<T extends PlannedRelease>(
  { live, scopes, months }: SitePlan<T>,
  site: SiteConfig,
): ArchiveMonthJob<T>[] {
  const byMonth = groupBy(live, (release) => localMonth(release.published, site.timeZone));
  const scopeMonths = monthsPerScope(scopes, months, byMonth);
  return months.map((month) => ({
    month,
    releases: byMonth.get(month) ?? [],
    scopes: scopes.flatMap((scope) => {
      const its = scopeMonths.get(scope) ?? [];
      return its.includes(month) ? [{ scope, neighbours: neighboursIn(its, month) }] : [];
    }),
  }));
}

/**
 * A month's archive files: its archive page and sitemap, and the RFC 5005 archive feed pages of
 * each scope that has releases that month; {@link archiveMonthFileCount} of them.
 */
export function* archiveMonthFiles(job: ArchiveMonthJob, site: SiteConfig): Generator<SiteFile> {
  const { month, releases } = job;
  yield monthArchiveFile(month, releases, site);
  yield monthSitemapFile(month, releases, site);
  const feeds = new ArchiveMonthFeeds(month, releases, site);
  for (const { scope, neighbours } of job.scopes) yield* feedArchiveFiles(feeds, scope, neighbours);
}

/** How many files {@link archiveMonthFiles} writes for `job`. */
export function archiveMonthFileCount(job: { scopes: readonly unknown[] }): number {
  return 2 + 3 * job.scopes.length;
}

/** Per scope, the months (newest first, like `months`) in which it has releases. */
function monthsPerScope(
  scopes: readonly FeedScope[],
  months: readonly ArchiveMonth[],
  byMonth: ReadonlyMap<ArchiveMonth, readonly Pick<Release, 'categorySlug' | 'lang'>[]>,
): Map<FeedScope, ArchiveMonth[]> {
  const result = new Map<FeedScope, ArchiveMonth[]>(scopes.map((scope) => [scope, []]));
  for (const month of months) {
    const ofMonth = byMonth.get(month) ?? [];
    for (const scope of scopes) {
      if (ofMonth.some((release) => inScope(scope, release))) result.get(scope)?.push(month);
    }
  }
  return result;
}

/**
 * The withdrawn pages of `withdrawals` (the pipeline's `state/withdrawn/`) at addresses no live
 * release has taken since: a live page wins, and of two withdrawals from one address the later.
 */
export function withdrawnFiles(
  withdrawals: readonly Withdrawal[],
  live: readonly Release[],
  site: SiteConfig,
): SiteFile[] {
  const taken = new Set(live.map((release) => release.slug));
  const latest = new Map<string, Withdrawal>();
  for (const withdrawal of withdrawals) {
    const slug = withdrawal.release.slug;
    const current = latest.get(slug);
    if (taken.has(slug)) continue;
    if (current === undefined || withdrawal.withdrawnAt > current.withdrawnAt) {
      latest.set(slug, withdrawal);
    }
  }
  return [...latest.values()].map(({ release, withdrawnAt }) =>
    withdrawnPageFile(release, withdrawnAt, site),
  );
}

/**
 * The media files `live` releases publish (see `attachMedia`), each once, sorted by public path:
 * where each is published and which file beside the releases it is.
 */
export function liveMedia(
  live: readonly Pick<Release, 'media'>[],
): { publicPath: string; sourcePath: string }[] {
  const byPath = new Map<string, string>();
  for (const release of live) {
    for (const media of publishedMedia(release)) byPath.set(media.publicPath, media.sourcePath);
  }
  return [...byPath]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([publicPath, sourcePath]) => ({ publicPath, sourcePath }));
}

/** The releases whose `published` is not after `now`: the rest are still under embargo. */
export function publishedBy<T extends Pick<Release, 'published'>>(
  releases: readonly T[],
  now: Date,
): T[] {
  const cutoff = now.getTime();
  return releases.filter((release) => release.published.getTime() <= cutoff);
}

function groupBy<K, V>(values: readonly V[], key: (value: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [value]);
    else group.push(value);
  }
  return groups;
}
