import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { newestFirst } from '../site/order.js';
import { FeedOutputError } from './errors.js';
import { type RenderedFeeds, renderFeeds } from './render.js';
import { FEED_FILES, type FeedScope, scopeFeedUrls } from './scopes.js';
import { escapeXml } from './xml.js';

/** RFC 5005 Feed History namespace (`fh:archive`). */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** An archive month, `YYYY-MM`. */
export type FeedArchiveMonth = string;

/** The archive pages next to one: the older (`prev`) and newer (`next`) months of the same scope. */
export interface ArchiveNeighbours {
  prev?: FeedArchiveMonth;
  next?: FeedArchiveMonth;
}

/** Folder of a scope's archive page for `month`: `<scope folder>archive/<YYYY-MM>/`. */
export function archiveFeedFolder(scope: FeedScope, month: FeedArchiveMonth): string {
  return `${scope.folder}archive/${month}/`;
}

/** Absolute URLs of the three renderings of a scope's archive page for `month`. */
export function archiveFeedUrls(
  scope: FeedScope,
  month: FeedArchiveMonth,
  site: SiteConfig,
): { atom: string; rss: string; json: string } {
  const base = `${site.siteUrl}/${archiveFeedFolder(scope, month)}`;
  return { atom: base + FEED_FILES.atom, rss: base + FEED_FILES.rss, json: base + FEED_FILES.json };
}

/**
 * The RFC 5005 archive page of `scope` for `month`: every release of `releases` (the month's
 * releases in the scope, any order) without its body, so the page depends only on what the
 * pipeline's month document keeps. Marked `fh:archive`, linked to the subscription feed
 * (`current`) and to the neighbouring archive pages; JSON Feed pages to the older month by `next_url`.
 */
export function renderArchiveFeeds(
  scope: FeedScope,
  month: FeedArchiveMonth,
  releases: readonly Release[],
  neighbours: ArchiveNeighbours,
  site: SiteConfig,
): RenderedFeeds {
  const bodiless = releases.map((release) => ({ ...release, contentHtml: '' }));
  const urls = archiveFeedUrls(scope, month, site);
  const feeds = renderFeeds(scope, newestFirst(bodiless), site, urls);
  const current = scopeFeedUrls(scope, site);
  const prev =
    neighbours.prev === undefined ? undefined : archiveFeedUrls(scope, neighbours.prev, site);
  const next =
    neighbours.next === undefined ? undefined : archiveFeedUrls(scope, neighbours.next, site);
  const links = (format: 'atom' | 'rss'): FeedLink[] => [
    { rel: 'current', href: current[format] },
    ...(prev === undefined ? [] : [{ rel: 'prev-archive', href: prev[format] }]),
    ...(next === undefined ? [] : [{ rel: 'next-archive', href: next[format] }]),
  ];
  return {
    atom: withHistory('atom', feeds.atom, links('atom'), true),
    rss: withHistory('rss', feeds.rss, links('rss'), true),
    json: withNextUrl(feeds.json, prev?.json),
  };
}

/**
 * The subscription feeds of a scope linked to its newest archive page (`prev-archive`, and
 * `next_url` in JSON Feed), so a reader can walk back through every release.
 */
export function linkToArchive(
  scope: FeedScope,
  feeds: RenderedFeeds,
  newestMonth: FeedArchiveMonth | undefined,
  site: SiteConfig,
): RenderedFeeds {
  if (newestMonth === undefined) return feeds;
  const urls = archiveFeedUrls(scope, newestMonth, site);
  return {
    atom: withHistory('atom', feeds.atom, [{ rel: 'prev-archive', href: urls.atom }], false),
    rss: withHistory('rss', feeds.rss, [{ rel: 'prev-archive', href: urls.rss }], false),
    json: withNextUrl(feeds.json, urls.json),
  };
}

interface FeedLink {
  rel: string;
  href: string;
}

// Where the links go: right after the feed's own first line of children.
const ATOM_ANCHOR = /(<feed [^>]*>)(\n *)/;
const RSS_ROOT_ANCHOR = /^(<\?xml [^>]*\?>\s*<rss version="2\.0")/;
const RSS_CHANNEL_ANCHOR = /(<channel>)(\n *)/;

function withHistory(
  format: 'atom' | 'rss',
  xml: string,
  links: readonly FeedLink[],
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
function withNextUrl(json: string, nextUrl: string | undefined): string {
  if (nextUrl === undefined) return json;
  const { items, ...head } = JSON.parse(json) as { items: unknown[] };
  return JSON.stringify({ ...head, next_url: nextUrl, items }, null, 2);
}
