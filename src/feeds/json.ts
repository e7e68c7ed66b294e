import { Feed } from 'feed';
import type { FeedEntry } from './entry.js';
import { FeedOutputError } from './errors.js';
import type { FeedHead } from './head.js';

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  authors: { name: string }[];
  hubs?: { type: 'WebSub'; url: string }[];
  icon?: string;
  favicon?: string;
  items: JsonFeedItem[];
}

/** One item of a {@link JsonFeed}. */
export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html: string;
  image?: string;
  date_published: string;
  date_modified?: string;
  authors?: { name: string }[];
  tags?: string[];
  language?: string;
  attachments?: JsonFeedAttachment[];
}

/** A document the item links to. */
interface JsonFeedAttachment {
  url: string;
  mime_type: string;
  title: string;
  size_in_bytes: number;
}

/** What `feed` 6.0.0's `json1()` writes, as far as we use it. */
interface FeedPackageJson {
  title?: unknown;
  home_page_url?: unknown;
  feed_url?: unknown;
  items?: { id?: unknown; url?: unknown; content_html?: unknown; date_published?: unknown }[];
}

/**
 * JSON Feed 1.1 for `entries` (already newest first and limited). `feed` writes version 1 and
 * 1.0-style authors, so its output is read back and completed: the 1.1 version URL, `language` on
 * the feed and on items in another language, `authors` on every item, linked documents as
 * `attachments`, and `date_modified` only for releases that were edited. Keys always come in the same order.
 */
export function renderJsonFeed(head: FeedHead, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    title: head.title,
    description: head.description,
    updated: head.updated,
    link: head.homeUrl,
    feedLinks: { json: head.urls.json },
  });
  for (const entry of entries) {
    feed.addItem({
      title: entry.title,
      id: entry.id,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      content: entry.contentHtml,
    });
  }
  const generated = JSON.parse(feed.json1()) as FeedPackageJson;
  const generatedItems = generated.items ?? [];
  if (generatedItems.length !== entries.length) {
    throw new FeedOutputError(
      'json',
      `expected ${entries.length} items, got ${generatedItems.length}`,
    );
  }

  const json: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: expectString(generated.title, 'title'),
    home_page_url: expectString(generated.home_page_url, 'home_page_url'),
    feed_url: expectString(generated.feed_url, 'feed_url'),
    description: head.description,
    language: head.lang,
    authors: [{ name: head.authorName }],
    ...(head.hub === undefined ? {} : { hubs: [{ type: 'WebSub', url: head.hub }] }),
    ...(head.logo === undefined ? {} : { icon: head.logo }),
    ...(head.icon === undefined ? {} : { favicon: head.icon }),
    items: entries.map((entry, i) => {
      const item = generatedItems[i] ?? {};
      return {
        id: expectString(item.id, 'item id'),
        url: expectString(item.url, 'item url'),
        title: entry.title,
        ...(entry.summary === undefined ? {} : { summary: entry.summary }),
        content_html: expectString(item.content_html, 'item content_html'),
        ...(entry.image === undefined ? {} : { image: entry.image.url }),
        date_published: expectString(item.date_published, 'item date_published'),
        ...(entry.edited ? { date_modified: entry.updated.toISOString() } : {}),
        authors: [{ name: entry.author }],
        ...(entry.terms.length === 0 ? {} : { tags: entry.terms }),
        ...(entry.lang === head.lang ? {} : { language: entry.lang }),
        ...attachmentsOf(entry),
        // JSON Feed extension (keys starting with `_`): the item's other language versions.
        ...(entry.translations.length === 0
          ? {}
          : {
              _translations: entry.translations.map(({ lang, url, title }) => ({
                language: lang,
                url,
                title,
              })),
            }),
      };
    }),
  };
  return JSON.stringify(json, null, 2);
}

/** JSON Feed's `attachments` for an entry's linked documents, or nothing when it has none. */
export function attachmentsOf(entry: FeedEntry): { attachments?: JsonFeedAttachment[] } {
  if (entry.attachments.length === 0) return {};
  return {
    attachments: entry.attachments.map((attachment) => ({
      url: attachment.url,
      mime_type: attachment.type,
      title: attachment.title,
      size_in_bytes: attachment.length,
    })),
  };
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new FeedOutputError('json', `${what} is missing`);
  }
  return value;
}
