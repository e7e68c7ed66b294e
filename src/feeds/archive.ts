import { type ArchiveMonth, monthName } from '../pages/archive-page.js';
import { stringsFor } from '../pages/strings.js';
import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { xmlSafe } from '../site/fast-text.js';
import { newestFirst } from '../site/order.js';
import { ArchiveEntry, normalUrl, textNode, urlAttribute } from './archive-entry.js';
import { type FeedEntry, latestUpdate } from './entry.js';
import { FeedOutputError } from './errors.js';
import type { FeedHead } from './head.js';
import { logoOf, type RenderedFeeds } from './render.js';
import { RSS_ROOT } from './rss.js';
import {
  categoryScope,
  FEED_FILES,
  type FeedScope,
  inScope,
  scopeFeedUrls,
  scopeLang,
  scopeTitle,
} from './scopes.js';
import { escapeRssText, escapeXml } from './xml.js';

/** RFC 5005 Feed History namespace (`fh:archive`). */
const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** The archive pages next to one: the older (`prev`) and newer (`next`) months of the same scope. */
export interface ArchiveNeighbours {
  prev?: ArchiveMonth;
  next?: ArchiveMonth;
}

/** A link of RFC 5005 (`current`, `prev-archive`, `next-archive`). */
export interface HistoryLink {
  rel: string;
  href: string;
}

/**
 * Paths of the three renderings of a scope's archive page for `month`, side by side in the
 * scope's `archive/` folder: `<scope folder>archive/<YYYY-MM>.atom.xml`, `….rss.xml`,
 * `….feed.json`. One folder per scope, not per month: a folder costs the file system about as
 * much as the three files in it.
 */
export function archiveFeedPaths(
  scope: FeedScope,
  month: ArchiveMonth,
): { atom: string; rss: string; json: string } {
  const base = `${scope.folder}archive/${month}.`;
  return { atom: base + FEED_FILES.atom, rss: base + FEED_FILES.rss, json: base + FEED_FILES.json };
}

/** Absolute URLs of the three renderings of a scope's archive page for `month`. */
export function archiveFeedUrls(
  scope: FeedScope,
  month: ArchiveMonth,
  site: SiteConfig,
): { atom: string; rss: string; json: string } {
  const paths = archiveFeedPaths(scope, month);
  const base = `${site.siteUrl}/`;
  return { atom: base + paths.atom, rss: base + paths.rss, json: base + paths.json };
}

/**
 * The RFC 5005 archive pages of one month, for any of the scopes its releases are in. Each
 * release's entry is written once per format ({@link ArchiveEntry}) and shared by its pages in
 * every scope, so a month costs about what one page of it would; only the short head of each page
 * is written per scope.
 */
export class ArchiveMonthFeeds {
  readonly #releases: readonly Release[];
  readonly #entries = new Map<Release, ArchiveEntry>();

  /** `releases`: every release of `month` (any scope, any order); other months' are not allowed. */
  constructor(
    readonly month: ArchiveMonth,
    releases: readonly Release[],
    readonly site: SiteConfig,
  ) {
    this.#releases = newestFirst(releases);
  }

  /** Whether `scope` has releases this month, so has an archive page for it. */
  has(scope: FeedScope): boolean {
    return this.#releases.some((release) => inScope(scope, release));
  }

  /**
   * The month's archive page of `scope`: its releases of the month without their bodies, newest
   * first, marked `fh:archive`, linked to the subscription feed (`current`) and to the scope's
   * neighbouring archive pages; JSON Feed pages to the older month by `next_url`.
   */
  render(scope: FeedScope, neighbours: ArchiveNeighbours): RenderedFeeds {
    const releases = this.#releases.filter((release) => inScope(scope, release));
    const entries = releases.map((release) => this.#entryOf(release));
    const head = archiveFeedHead(
      monthScope(scope, releases),
      this.month,
      entries.map((entry) => entry.entry),
      this.site,
    );
    const links = archiveLinks(scope, neighbours, this.site);
    const older =
      neighbours.prev === undefined
        ? undefined
        : archiveFeedUrls(scope, neighbours.prev, this.site).json;
    return {
      atom: atomPage(
        head,
        links('atom'),
        entries.map((entry) => entry.atom(head.lang)),
      ),
      rss: rssPage(
        head,
        links('rss'),
        entries.map((entry) => entry.rss(head.lang)),
      ),
      json: jsonPage(
        head,
        older,
        entries.map((entry) => entry.json(head.lang)),
      ),
    };
  }

  #entryOf(release: Release): ArchiveEntry {
    let entry = this.#entries.get(release);
    if (entry === undefined) {
      entry = new ArchiveEntry(release, this.site.title);
      this.#entries.set(release, entry);
    }
    return entry;
  }
}

/**
 * What an archive page says about itself: the scope's title, "Archive: April 2020" in the page's
 * language (the one all its entries share, else the scope's), its own URLs, and the latest
 * change of its entries as `updated`.
 */
export function archiveFeedHead(
  scope: FeedScope,
  month: ArchiveMonth,
  entries: readonly FeedEntry[],
  site: SiteConfig,
): FeedHead {
  const first = entries[0]?.lang;
  const shared = first !== undefined && entries.every((entry) => entry.lang === first);
  const lang = xmlSafe(shared ? first : scopeLang(scope, site));
  return {
    title: xmlSafe(scopeTitle(scope, site)),
    description: `${stringsFor(lang).archive}: ${monthName(month, lang)}`,
    lang,
    homeUrl: `${site.siteUrl}/`,
    urls: archiveFeedUrls(scope, month, site),
    updated: latestUpdate(entries),
    authorName: xmlSafe(site.title),
    ...(site.websubHub === undefined ? {} : { hub: site.websubHub }),
    ...logoOf(site),
  };
}

/**
 * A category's archive page is titled by the name of the month's newest release in it, not the
 * category's newest overall: renaming a category must not rewrite every month of its archive.
 */
function monthScope(scope: FeedScope, ofMonth: readonly Release[]): FeedScope {
  const newest = ofMonth[0];
  if (scope.kind !== 'category' || newest === undefined) return scope;
  return categoryScope(scope.categorySlug, newest.category);
}

/** An archive page's links, per format: the subscription feed and the neighbouring months. */
export function archiveLinks(
  scope: FeedScope,
  neighbours: ArchiveNeighbours,
  site: SiteConfig,
): (format: 'atom' | 'rss') => HistoryLink[] {
  const current = scopeFeedUrls(scope, site);
  const prev =
    neighbours.prev === undefined ? undefined : archiveFeedUrls(scope, neighbours.prev, site);
  const next =
    neighbours.next === undefined ? undefined : archiveFeedUrls(scope, neighbours.next, site);
  return (format) => [
    { rel: 'current', href: current[format] },
    ...(prev === undefined ? [] : [{ rel: 'prev-archive', href: prev[format] }]),
    ...(next === undefined ? [] : [{ rel: 'next-archive', href: next[format] }]),
  ];
}

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

// The documents below are what `feed` and src/feeds/{atom,rss,json}.ts write for the same head
// and bodiless entries, with the history links where addFeedHistory puts them; the fidelity test
// (tests/feeds/archive-fidelity.test.ts) renders both ways and compares the bytes.

function atomPage(head: FeedHead, links: readonly HistoryLink[], entries: string[]): string {
  const lines = [
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(head.lang)}">`,
    `<fh:archive xmlns:fh="${FEED_HISTORY_NS}"/>`,
    ...links.map((link) => `<link rel="${link.rel}" href="${escapeXml(link.href)}"/>`),
    `<id>${textNode(head.urls.atom)}</id>`,
    `<title>${textNode(head.title)}</title>`,
    `<updated>${head.updated.toISOString()}</updated>`,
    `<author>\n        <name>${textNode(head.authorName)}</name>\n    </author>`,
    `<link rel="alternate" href="${urlAttribute(head.homeUrl)}"/>`,
    `<link rel="self" href="${urlAttribute(head.urls.atom)}"/>`,
    ...(head.hub === undefined ? [] : [`<link rel="hub" href="${urlAttribute(head.hub)}"/>`]),
    `<subtitle>${textNode(head.description)}</subtitle>`,
    ...(head.logo === undefined ? [] : [`<logo>${textNode(head.logo)}</logo>`]),
  ];
  return `${XML_DECLARATION}${lines.join('\n    ')}${entries.join('')}\n</feed>`;
}

function rssPage(head: FeedHead, links: readonly HistoryLink[], items: string[]): string {
  const root = `<rss version="2.0" xmlns:fh="${FEED_HISTORY_NS}"${RSS_ROOT.slice('<rss version="2.0"'.length)}`;
  const hub =
    head.hub === undefined ? [] : [`<atom:link href="${urlAttribute(head.hub)}" rel="hub"/>`];
  const lines = [
    '<fh:archive/>',
    ...links.map((link) => `<atom:link rel="${link.rel}" href="${escapeXml(link.href)}"/>`),
    `<title>${escapeRssText(head.title)}</title>`,
    `<link>${textNode(normalUrl(head.homeUrl))}</link>`,
    `<description>${escapeRssText(head.description)}</description>`,
    `<lastBuildDate>${head.updated.toUTCString()}</lastBuildDate>`,
    '<docs>https://validator.w3.org/feed/docs/rss2.html</docs>',
    `<language>${textNode(head.lang)}</language>`,
    `<atom:link href="${urlAttribute(head.urls.rss)}" rel="self" type="application/rss+xml"/>`,
    ...hub,
  ];
  const channel = lines.map((line) => `\n        ${line}`).join('');
  return `${XML_DECLARATION}${root}\n    <channel>${channel}${items.join('')}\n    </channel>\n</rss>`;
}

function jsonPage(head: FeedHead, nextUrl: string | undefined, items: string[]): string {
  const top = JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: head.title,
      home_page_url: head.homeUrl,
      feed_url: head.urls.json,
      description: head.description,
      language: head.lang,
      authors: [{ name: head.authorName }],
      ...(head.hub === undefined ? {} : { hubs: [{ type: 'WebSub', url: head.hub }] }),
      ...(head.logo === undefined ? {} : { icon: head.logo }),
      ...(nextUrl === undefined ? {} : { next_url: nextUrl }),
    },
    null,
    2,
  );
  // `top` ends with "\n}": the items go in before it, as the last member.
  return `${top.slice(0, -2)},\n  "items": [\n${items.join(',\n')}\n  ]\n}`;
}

/**
 * The subscription feeds of a scope linked to its newest archive page (`prev-archive`, and
 * `next_url` in JSON Feed), so a reader can walk back through every release.
 */
export function linkToArchive(
  scope: FeedScope,
  feeds: RenderedFeeds,
  newestMonth: ArchiveMonth | undefined,
  site: SiteConfig,
): RenderedFeeds {
  if (newestMonth === undefined) return feeds;
  const urls = archiveFeedUrls(scope, newestMonth, site);
  return {
    atom: addFeedHistory('atom', feeds.atom, [{ rel: 'prev-archive', href: urls.atom }], false),
    rss: addFeedHistory('rss', feeds.rss, [{ rel: 'prev-archive', href: urls.rss }], false),
    json: withNextUrl(feeds.json, urls.json),
  };
}

// Where the links go: right after the feed's own first line of children.
const ATOM_ANCHOR = /(<feed [^>]*>)(\n *)/;
const RSS_ROOT_ANCHOR = /^(<\?xml [^>]*\?>\s*<rss version="2\.0")/;
const RSS_CHANNEL_ANCHOR = /(<channel>)(\n *)/;

/**
 * Adds RFC 5005 links to a feed rendered by src/feeds/atom.ts or rss.ts, first among the feed's
 * children, and with `archive` the `fh:archive` marker (and its namespace) that makes it an
 * archive document.
 */
export function addFeedHistory(
  format: 'atom' | 'rss',
  xml: string,
  links: readonly HistoryLink[],
  archive: boolean,
): string {
  if (format === 'atom') {
    return insertAfter(format, xml, ATOM_ANCHOR, (indent) =>
      [
        ...(archive ? [`<fh:archive xmlns:fh="${FEED_HISTORY_NS}"/>`] : []),
        ...links.map((link) => `<link rel="${link.rel}" href="${escapeXml(link.href)}"/>`),
      ].map((line) => indent + line),
    );
  }
  let out = xml;
  if (archive) {
    const root = RSS_ROOT_ANCHOR.exec(out);
    if (root === null) throw new FeedOutputError(format, 'no <rss> root to declare fh on');
    out = `${root[1]} xmlns:fh="${FEED_HISTORY_NS}"${out.slice(root[0].length)}`;
  }
  return insertAfter(format, out, RSS_CHANNEL_ANCHOR, (indent) =>
    [
      ...(archive ? ['<fh:archive/>'] : []),
      ...links.map((link) => `<atom:link rel="${link.rel}" href="${escapeXml(link.href)}"/>`),
    ].map((line) => indent + line),
  );
}

function insertAfter(
  format: 'atom' | 'rss',
  xml: string,
  anchor: RegExp,
  lines: (indent: string) => string[],
): string {
  const match = anchor.exec(xml);
  if (match === null) throw new FeedOutputError(format, `no ${anchor} to add history links after`);
  const indent = match[2] ?? '\n';
  const end = match.index + (match[1] ?? '').length;
  return xml.slice(0, end) + lines(indent).join('') + xml.slice(end);
}

/** The JSON Feed with `next_url` (the older page) just before its items. */
export function withNextUrl(json: string, nextUrl: string | undefined): string {
  if (nextUrl === undefined) return json;
  const { items, ...head } = JSON.parse(json) as { items: unknown[] };
  return JSON.stringify({ ...head, next_url: nextUrl, items }, null, 2);
}
