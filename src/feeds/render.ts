import { FAVICON_PATH } from '../pages/share-meta.js';
import { stringsFor } from '../pages/strings.js';
import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { xmlSafe } from '../site/fast-text.js';
import { brandingOf } from '../site/site-config.js';
import { renderAtom } from './atom.js';
import { latestUpdate, toFeedEntry } from './entry.js';
import type { FeedHead } from './head.js';
import { renderJsonFeed } from './json.js';
import { renderRss } from './rss.js';
import { type FeedScope, scopeFeedUrls, scopeLang, scopeTitle } from './scopes.js';

/** The three renderings of one scope's feed. */
export interface RenderedFeeds {
  atom: string;
  rss: string;
  json: string;
}

/**
 * Atom 1.0, RSS 2.0 and JSON Feed 1.1 for `scope`. `releases` must already be the scope's
 * releases, newest first and limited to `site.feedLimit` (see `newestFirst`); each output depends
 * on nothing else, so the same input always gives byte-identical feeds. The feed-level `updated` is
 * the latest item `updated` (or `published`), and 2000-01-01 for an empty feed. The feed is in the
 * language all its entries share (a category of Swedish releases is `sv`), else the scope's.
 */
export function renderFeeds(
  scope: FeedScope,
  releases: readonly Release[],
  site: SiteConfig,
): RenderedFeeds {
  const entries = releases.map((release) => toFeedEntry(release, site.title));
  const lang = xmlSafe(feedLang(scope, releases, site));
  const head: FeedHead = {
    title: xmlSafe(scopeTitle(scope, site)),
    description: xmlSafe(stringsFor(lang).latestReleases),
    lang,
    homeUrl: `${site.siteUrl}/`,
    urls: scopeFeedUrls(scope, site),
    updated: latestUpdate(entries),
    authorName: xmlSafe(site.title),
    ...(site.websubHub === undefined ? {} : { hub: site.websubHub }),
    ...logoOf(site),
    icon: `${site.siteUrl}/${FAVICON_PATH}`,
  };
  return {
    atom: renderAtom(head, entries),
    rss: renderRss(head, entries),
    json: renderJsonFeed(head, entries),
  };
}

/** The language every release of the feed is in, if they share one; else the scope's language. */
function feedLang(scope: FeedScope, releases: readonly Release[], site: SiteConfig): string {
  const first = releases[0]?.lang;
  if (first !== undefined && releases.every((release) => release.lang === first)) return first;
  return scopeLang(scope, site);
}

/** The configured logo as an absolute URL (a site path is resolved against `siteUrl`). */
export function logoOf(site: SiteConfig): { logo?: string } {
  const logo = brandingOf(site).logo;
  if (logo === undefined) return {};
  return { logo: xmlSafe(logo.startsWith('https://') ? logo : `${site.siteUrl}/${logo}`) };
}
