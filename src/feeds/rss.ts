import { Feed } from 'feed';
import { xmlSafe } from '../site/fast-text.js';
import type { FeedEntry, FeedImage } from './entry.js';
import { assertNoPlaceholders, fillPlaceholders, replaceRootTag } from './fill.js';
import type { FeedHead } from './head.js';
import { cdataSafeHtml, escapeRssText, escapeXml, PLACEHOLDER, placeholder } from './xml.js';

// Every namespace any of our items may use, declared whether or not `feed` thought it needed it.
export const RSS_ROOT =
  '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"' +
  ' xmlns:content="http://purl.org/rss/1.0/modules/content/"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/"' +
  ' xmlns:media="http://search.yahoo.com/mrss/">';
const FEED_ROOT = /<rss version="2\.0"[^>]*>/;
const CHANNEL_TEXT = new RegExp(`<(?<tag>title|description)>${PLACEHOLDER}</\\k<tag>>`);
// `feed` writes each item's title first, as a CDATA section.
const ITEM_HEAD = new RegExp(
  `<item>(?<indent>\\n *)<title><!\\[CDATA\\[${PLACEHOLDER}\\]\\]></title>`,
);

/**
 * RSS 2.0 for `entries` (already newest first and limited). Built with the `feed` package, then
 * completed where it falls short: plain text (titles, categories, authors) written with the
 * hexadecimal character references the RSS Best Practices Profile asks for, every item's author
 * as `dc:creator` (RSS `author` must be an email address), `dc:language` on items in another
 * language than the channel, the lead image as an enclosure with its real media type and length,
 * and Media RSS (`media:content`, `media:thumbnail`) for the image and linked documents.
 */
export function renderRss(head: FeedHead, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    title: placeholder('title'),
    description: placeholder('description'),
    updated: head.updated,
    generator: false,
    language: head.lang,
    link: head.homeUrl,
    feedLinks: { rss: head.urls.rss },
    ...(head.hub === undefined ? {} : { hub: head.hub }),
  });
  entries.forEach((entry, i) => {
    feed.addItem({
      title: placeholder(`i${i}`),
      id: entry.id,
      link: entry.url,
      date: entry.published,
      published: entry.published,
      ...itemText(entry),
    });
  });

  let xml = replaceRootTag('rss', feed.rss2(), FEED_ROOT, RSS_ROOT);
  xml = fillPlaceholders('rss', xml, CHANNEL_TEXT, ['title', 'description'], (key) => {
    const text = key === 'title' ? head.title : head.description;
    return `<${key}>${escapeRssText(text)}</${key}>`;
  });
  xml = withChannelImage(xml, head);
  xml = fillPlaceholders(
    'rss',
    xml,
    ITEM_HEAD,
    entries.map((_, i) => `i${i}`),
    (key, match) => {
      const entry = entries[Number(key.slice(1))] as FeedEntry;
      return itemHead(entry, head.lang, match.groups?.indent ?? '\n');
    },
  );
  assertNoPlaceholders('rss', xml);
  return xmlSafe(xml);
}

/** RSS 2.0 allows a channel image only as GIF, JPEG or PNG. */
const RSS_IMAGE = /\.(?:gif|jpe?g|png)$/i;
const CHANNEL_HEAD = /<channel>[\s\S]*?<\/description>/;

/**
 * The logo as the channel's `<image>` (its title and link the channel's own, as the W3C validator
 * wants), placed after the channel's description; nothing for another type or without a logo.
 */
function withChannelImage(xml: string, head: FeedHead): string {
  if (head.logo === undefined || !RSS_IMAGE.test(new URL(head.logo).pathname)) return xml;
  const image =
    `<image><url>${escapeXml(head.logo)}</url><title>${escapeRssText(head.title)}</title>` +
    `<link>${escapeXml(head.homeUrl)}</link></image>`;
  return xml.replace(CHANNEL_HEAD, (channelHead) => `${channelHead}\n        ${image}`);
}

/**
 * `description` is the summary and `content:encoded` the full HTML. Without a summary the full HTML
 * goes into `description` alone: readers expect a description before content:encoded.
 */
function itemText(entry: FeedEntry): { description?: string; content?: string } {
  const html = entry.contentHtml === '' ? undefined : cdataSafeHtml(entry.contentHtml);
  if (entry.summary === undefined) return html === undefined ? {} : { description: html };
  return {
    description: escapeXml(entry.summary),
    ...(html === undefined ? {} : { content: html }),
  };
}

/** The start tag of an item and the children we write ourselves, one per line. */
export function itemHead(entry: FeedEntry, channelLang: string, indent: string): string {
  const children = [`<title>${escapeRssText(entry.title)}</title>`];
  for (const term of entry.terms) {
    children.push(`<category>${escapeRssText(term)}</category>`);
  }
  children.push(`<dc:creator>${escapeRssText(entry.author)}</dc:creator>`);
  if (entry.lang !== channelLang) {
    children.push(`<dc:language>${escapeRssText(entry.lang)}</dc:language>`);
  }
  children.push(...imageElements(entry.image));
  for (const attachment of entry.attachments) {
    children.push(
      `<media:content url="${escapeXml(attachment.url)}" type="${escapeXml(attachment.type)}" medium="document" fileSize="${attachment.length}"/>`,
    );
  }
  return `<item>${children.map((child) => indent + child).join('')}`;
}

/** The lead image as an enclosure and as Media RSS content with its thumbnail and alt text. */
function imageElements(image: FeedImage | undefined): string[] {
  if (image?.type === undefined) return [];
  const url = escapeXml(image.url);
  const type = escapeXml(image.type);
  const size =
    image.width === undefined || image.height === undefined
      ? ''
      : ` width="${image.width}" height="${image.height}"`;
  const fileSize = image.length === undefined ? '' : ` fileSize="${image.length}"`;
  const description =
    image.alt === ''
      ? ''
      : `<media:description type="plain">${escapeRssText(image.alt)}</media:description>`;
  return [
    // RSS requires a length; 0 is the accepted way to say "unknown" (an image hosted elsewhere).
    `<enclosure url="${url}" length="${image.length ?? 0}" type="${type}"/>`,
    `<media:content url="${url}" type="${type}" medium="image"${fileSize}${size}>${description}</media:content>`,
    `<media:thumbnail url="${url}"${size}/>`,
  ];
}
