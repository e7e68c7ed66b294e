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
 * the latest item `updated` (or `published`), and the Unix epoch for an empty feed.
 */
export function renderFeeds(
  scope: FeedScope,
  releases: readonly Release[],
  site: SiteConfig,
): RenderedFeeds {
  const entries = releases.map(toFeedEntry);
  const lang = xmlSafe(scopeLang(scope, site));
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
  };
  return {
    atom: renderAtom(head, entries),
    rss: renderRss(head, entries),
    json: renderJsonFeed(head, entries),
  };
}

/** The configured logo as an absolute URL (a site path is resolved against `siteUrl`). */
function logoOf(site: SiteConfig): { logo?: string } {
  const logo = brandingOf(site).logo;
  if (logo === undefined) return {};
  return { logo: xmlSafe(logo.startsWith('https://') ? logo : `${site.siteUrl}/${logo}`) };
}
