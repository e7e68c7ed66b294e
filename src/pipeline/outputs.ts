import { createHash } from 'node:crypto';
import { headEtag } from '../adapters/head.js';
import { ArchiveMonthFeeds, archiveFeedPaths } from '../feeds/archive.js';
import {
  ALL_SCOPE,
  categoryScope,
  FEED_FILES,
  type FeedScope,
  langScope,
} from '../feeds/scopes.js';
import { siteWideFiles } from '../pages/not-found-page.js';
import type { ObjectStore } from '../shared/ports.js';
import { withdrawnFiles } from '../site/build.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import {
  archiveFile,
  archivePagePath,
  categoryFeedPaths,
  feedArchiveFiles,
  feedFiles,
  indexFile,
  monthArchiveFile,
  monthArchivePath,
  monthSitemapFile,
  monthSitemapPath,
  neighboursIn,
  releasePageFile,
  sitemapFiles,
} from '../site/files.js';
import { releasePagePath } from '../site/slugs.js';
import type { MonthDoc } from './months.js';
import type { SiteIndexDoc } from './site-index.js';
import { loadRelease, type StoredRelease } from './stored-release.js';
import { isEmptyScope, type ScopeRef, type WindowDoc, windowKey } from './windows.js';
import { loadWithdrawal, type StoredWithdrawal } from './withdrawn.js';

/** Public files to (re)write and to remove. */
export interface OutputPlan {
  files: SiteFile[];
  deletions: string[];
}

/** A release page address a batch renders. */
export interface PageInput {
  slug: string;
  publicRelease?: StoredRelease | undefined;
  withdrawn?: StoredWithdrawal | undefined;
}

/** What the affected public files are rendered from. */
export interface OutputInputs {
  /**
   * Release pages: written when `publicRelease` is set, else the withdrawn page when `withdrawn`
   * is, else removed.
   */
  pages: readonly PageInput[];
  windows: readonly WindowDoc[];
  months: readonly MonthDoc[];
  siteIndex: SiteIndexDoc;
  /**
   * The month documents of the archive pages next to the touched ones in each touched scope
   * ({@link archiveNeighbourMonths}), whose prev-/next-archive links may have changed.
   */
  neighbourMonths?: readonly MonthDoc[];
}

/** The feed scope (with its display name) a window renders as. */
function feedScopeOf(window: WindowDoc): FeedScope {
  const scope: ScopeRef = window.scope;
  switch (scope.kind) {
    case 'all':
      return ALL_SCOPE;
    case 'category':
      return categoryScope(
        scope.categorySlug,
        window.entries[0]?.release.category ?? scope.categorySlug,
      );
    case 'lang':
      return langScope(scope.lang);
  }
}

/** Every scope of the site, as the full build lists them: all, categories by slug, languages. */
function scopesOfIndex(index: SiteIndexDoc): FeedScope[] {
  return [
    ALL_SCOPE,
    ...index.categories.map((category) => categoryScope(category.slug, category.name)),
    ...index.langs.map(langScope),
  ];
}

/**
 * Renders the public files that depend on the given documents, with the site build's own per-file
 * renderers (src/site/files.ts), so the result is byte-identical to a full build: a scope's feeds
 * from its window, a month's archive page and sitemap from its month document, its year's page and
 * the sitemap index from the site index's months, the front page from the `all` window and the
 * site index, and the releases' own pages. Scopes, months and years left empty are removed, as a
 * full build would not produce them (the site-wide feeds always exist).
 */
export function planOutputs(inputs: OutputInputs, site: SiteConfig): OutputPlan {
  const files: SiteFile[] = [];
  const deletions: string[] = [];
  for (const page of inputs.pages) {
    if (page.publicRelease) files.push(releasePageFile(loadRelease(page.publicRelease), site));
    else if (page.withdrawn)
      files.push(...withdrawnFiles([loadWithdrawal(page.withdrawn)], [], site));
    else deletions.push(releasePagePath(page.slug));
  }
  for (const window of inputs.windows) {
    const scope = feedScopeOf(window);
    if (scope.kind !== 'all' && isEmptyScope(window)) {
      deletions.push(
        ...(scope.kind === 'category'
          ? categoryFeedPaths(scope, site)
          : Object.values(FEED_FILES).map((name) => scope.folder + name)),
      );
      continue;
    }
    const releases = window.entries.slice(0, site.feedLimit).map((entry) => entry.release);
    files.push(...feedFiles(scope, releases.map(loadRelease), site));
    if (scope.kind === 'all') {
      files.push(
        indexFile(
          window.entries.map((entry) => loadRelease(entry.release)),
          site,
          scopesOfIndex(inputs.siteIndex),
          inputs.siteIndex.years,
        ),
        ...siteWideFiles(site),
        ...sitemapFiles(inputs.siteIndex.months, site),
      );
    }
  }
  const archive = planArchive(inputs.months, inputs.siteIndex, site);
  const feedArchive = planFeedArchive(inputs, site);
  files.push(...archive.files, ...feedArchive.files);
  deletions.push(...archive.deletions, ...feedArchive.deletions);
  return { files, deletions };
}

/**
 * The months whose RFC 5005 archive pages neighbour a touched month in a touched scope: their
 * documents must be read for {@link OutputInputs.neighbourMonths} (at most two per scope and month).
 */
export function archiveNeighbourMonths(
  inputs: Pick<OutputInputs, 'windows' | 'months' | 'siteIndex'>,
): string[] {
  const touched = new Set(inputs.months.map((doc) => doc.month));
  const wanted = new Set<string>();
  for (const window of inputs.windows) {
    const months = inputs.siteIndex.scopeMonths?.[windowKey(window.scope)] ?? [];
    for (const month of touched) {
      const { prev, next } = neighboursIn(months, month);
      for (const other of [prev, next])
        if (other !== undefined && !touched.has(other)) wanted.add(other);
    }
  }
  return [...wanted].sort();
}

/**
 * Each touched scope's archive feed pages for the touched months (removed where the scope has no
 * release left in the month), and the pages next to them, whose links change when a month
 * appears or disappears (unchanged ones are skipped when written). Each month is rendered once
 * for all its scopes ({@link ArchiveMonthFeeds}).
 */
function planFeedArchive(inputs: OutputInputs, site: SiteConfig): OutputPlan {
  const files: SiteFile[] = [];
  const deletions: string[] = [];
  const docs = new Map(
    [...(inputs.neighbourMonths ?? []), ...inputs.months].map((doc) => [doc.month, doc]),
  );
  const pagesByMonth = new Map<string, { scope: FeedScope; months: readonly string[] }[]>();
  for (const window of inputs.windows) {
    const scope = feedScopeOf(window);
    const months = inputs.siteIndex.scopeMonths?.[windowKey(window.scope)] ?? [];
    const pages = new Set<string>();
    for (const doc of inputs.months) {
      const { prev, next } = neighboursIn(months, doc.month);
      for (const month of [doc.month, prev, next]) if (month !== undefined) pages.add(month);
    }
    for (const month of pages) {
      pagesByMonth.set(month, [...(pagesByMonth.get(month) ?? []), { scope, months }]);
    }
  }
  for (const [month, pages] of pagesByMonth) {
    const releases = (docs.get(month)?.entries ?? []).map((entry) =>
      loadRelease({ ...entry.release, contentHtml: '' }),
    );
    const feeds = new ArchiveMonthFeeds(month, releases, site);
    for (const { scope, months } of pages) {
      if (months.includes(month)) {
        files.push(...feedArchiveFiles(feeds, scope, neighboursIn(months, month)));
      } else {
        deletions.push(...Object.values(archiveFeedPaths(scope, month)));
      }
    }
  }
  return { files, deletions };
}

/** The touched months' pages and sitemaps, and their years' pages (the index of their months). */
function planArchive(
  months: readonly MonthDoc[],
  index: SiteIndexDoc,
  site: SiteConfig,
): OutputPlan {
  const files: SiteFile[] = [];
  const deletions: string[] = [];
  const indexed = index.months ?? [];
  for (const month of months) {
    if (month.entries.length === 0) {
      deletions.push(monthArchivePath(month.month), monthSitemapPath(month.month));
      continue;
    }
    const releases = month.entries.map((entry) =>
      loadRelease({ ...entry.release, contentHtml: '' }),
    );
    files.push(
      monthArchiveFile(month.month, releases, site),
      monthSitemapFile(month.month, releases, site),
    );
  }
  for (const year of new Set(months.map((month) => Number(month.month.slice(0, 4))))) {
    if (indexed.some((month) => month.startsWith(`${year}-`))) {
      files.push(archiveFile(year, indexed, site));
    } else {
      deletions.push(archivePagePath(year));
    }
  }
  return { files, deletions };
}

/** What writing a plan did. */
export interface WriteOutcome {
  written: string[];
  deleted: string[];
  unchanged: string[];
}

/**
 * Writes the plan to the public bucket, skipping every file whose content is already there (its
 * ETag, an MD5 for single-part uploads, equals the body's MD5), so unchanged files keep their ETag
 * and readers' conditional GETs keep answering 304. Current ETags come from a HEAD per file.
 */
export async function writePlan(store: ObjectStore, plan: OutputPlan): Promise<WriteOutcome> {
  const paths = [...plan.files.map((file) => file.path), ...plan.deletions];
  const etags = await currentEtags(store, paths);
  const outcome: WriteOutcome = { written: [], deleted: [], unchanged: [] };
  await Promise.all([
    ...plan.files.map(async (file) => {
      if (etags.get(file.path) === md5Etag(file.body)) {
        outcome.unchanged.push(file.path);
        return;
      }
      await store.put(file.path, file.body, {
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
      outcome.written.push(file.path);
    }),
    ...plan.deletions.map(async (path) => {
      if (!etags.has(path)) return;
      await store.delete(path);
      outcome.deleted.push(path);
    }),
  ]);
  for (const list of Object.values(outcome)) list.sort();
  return outcome;
}

/** The quoted MD5 hex digest S3 gives a single-part upload of `body` as its ETag. */
export function md5Etag(body: string | Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * ETags of the objects at `paths` that exist, by a HEAD each. No folder is listed: `feeds/` holds
 * every scope's archive pages, `archive/` and `sitemaps/` grow by a file a month, so a listing
 * would grow with the archive while the paths a batch touches do not.
 */
async function currentEtags(
  store: ObjectStore,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      const etag = await headEtag(store, path);
      if (etag !== undefined) etags.set(path, etag);
    }),
  );
  return etags;
}
