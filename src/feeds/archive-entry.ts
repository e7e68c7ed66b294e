import type { Release } from '../release/types.js';
import { entryHead } from './atom.js';
import type { FeedEntry } from './entry.js';
import { toFeedEntry } from './entry.js';
import { attachmentsOf, type JsonFeedItem } from './json.js';
import { itemHead } from './rss.js';
import { escapeXml } from './xml.js';

/**
 * A release as its archive pages show it: without its body (and the kicker above it), so a page
 * depends only on what the pipeline's month document keeps, and without links to its translations,
 * so publishing a translation later does not rewrite the archive pages of the original.
 */
export function archivedRelease(release: Release): Release {
  const { kicker: _kicker, translations: _translations, ...kept } = release;
  return { ...kept, contentHtml: '' };
}

/**
 * One release's entry in the three archive formats, each written once and reused by every archive
 * page it is on (the month's page of each of its scopes). The text is what the `feed` package and
 * our own post-processing (src/feeds/atom.ts, rss.ts, json.ts) write for the same bodiless release,
 * indented for its place in the document; tests/feeds/archive-fidelity.test.ts holds the two equal.
 * Only the language marker depends on the page (an entry says its language when the feed's
 * differs), so each format has at most two variants.
 */
export class ArchiveEntry {
  readonly entry: FeedEntry;
  readonly #cache = new Map<string, string>();

  constructor(release: Release, organisation: string) {
    this.entry = toFeedEntry(archivedRelease(release), organisation);
  }

  /** The `<entry>` element, for a feed in `feedLang`. */
  atom(feedLang: string): string {
    return this.#cached('atom', feedLang, () => atomEntry(this.entry, feedLang));
  }

  /** The `<item>` element, for a channel in `channelLang`. */
  rss(channelLang: string): string {
    return this.#cached('rss', channelLang, () => rssItem(this.entry, channelLang));
  }

  /** The item object, for a feed in `feedLang`. */
  json(feedLang: string): string {
    return this.#cached('json', feedLang, () => jsonItem(this.entry, feedLang));
  }

  #cached(format: string, feedLang: string, render: () => string): string {
    const key = `${format}:${this.entry.lang === feedLang}`;
    let text = this.#cache.get(key);
    if (text === undefined) {
      text = render();
      this.#cache.set(key, text);
    }
    return text;
  }
}

// xml-js (under `feed`) indents four spaces a level; entries are children of the root.
const ATOM_CHILD = '\n        ';
const RSS_CHILD = '\n            ';

function atomEntry(entry: FeedEntry, feedLang: string): string {
  // Atom wants text in every entry: without a body, the summary or else the title.
  const summary = entry.summary ?? entry.title;
  return [
    `\n    ${entryHead(entry, feedLang, ATOM_CHILD)}`,
    `<id>${textNode(normalUrl(entry.id))}</id>`,
    `<link href="${urlAttribute(entry.url)}"/>`,
    `<updated>${entry.updated.toISOString()}</updated>`,
    ...(summary === '' ? [] : [`<summary type="html"><![CDATA[${escapeXml(summary)}]]></summary>`]),
    `<author>${ATOM_CHILD}    <name>${textNode(entry.author)}</name>${ATOM_CHILD}</author>`,
    `<published>${entry.published.toISOString()}</published>\n    </entry>`,
  ].join(ATOM_CHILD);
}

function rssItem(entry: FeedEntry, channelLang: string): string {
  const lines = [
    `\n        ${itemHead(entry, channelLang, RSS_CHILD)}`,
    `<link>${textNode(normalUrl(entry.url))}</link>`,
    `<guid isPermaLink="false">${textNode(entry.id)}</guid>`,
    `<pubDate>${entry.published.toUTCString()}</pubDate>`,
  ];
  if (entry.summary !== undefined) {
    lines.push(`<description><![CDATA[${escapeXml(entry.summary)}]]></description>`);
  }
  return `${lines.join(RSS_CHILD)}\n        </item>`;
}

function jsonItem(entry: FeedEntry, feedLang: string): string {
  const item: JsonFeedItem = {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    content_html: '',
    ...(entry.image === undefined ? {} : { image: entry.image.url }),
    date_published: entry.published.toISOString(),
    ...(entry.edited ? { date_modified: entry.updated.toISOString() } : {}),
    authors: [{ name: entry.author }],
    ...(entry.terms.length === 0 ? {} : { tags: entry.terms }),
    ...(entry.lang === feedLang ? {} : { language: entry.lang }),
    ...attachmentsOf(entry),
  };
  // An element of `items`, two levels into the pretty-printed document.
  return `    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}`;
}

const TEXT_SPECIAL = /[&<>]/;
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Plain text as xml-js writes a text node: `&`, `<` and `>` escaped, quotes left as they are. */
export function textNode(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(/[&<>]/g, (ch) => TEXT_ESCAPES[ch] ?? ch) : text;
}

/** A URL as `feed` writes it: normalized by the WHATWG URL parser (it throws on a non-URL). */
export function normalUrl(url: string): string {
  return new URL(url).toString();
}

/** A URL in a double-quoted attribute, as `feed` and xml-js write it. */
export function urlAttribute(url: string): string {
  return normalUrl(url).replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}
