import { Feed } from 'feed';
import { xmlSafe } from '../site/fast-text.js';
import type { FeedEntry } from './entry.js';
import { assertNoPlaceholders, fillPlaceholders, replaceRootTag } from './fill.js';
import type { FeedHead } from './head.js';
import { cdataSafeHtml, escapeXml, forXmlJsText, PLACEHOLDER, placeholder } from './xml.js';

const ATOM_ROOT = /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/;
// `feed` writes each entry's title first, as a CDATA section of type html.
const ENTRY_HEAD = new RegExp(
  `<entry>(?<indent>\\n *)<title type="html"><!\\[CDATA\\[${PLACEHOLDER}\\]\\]></title>`,
);

/**
 * Atom 1.0 for `entries` (already newest first and limited). Built with the `feed` package, then
 * completed where it falls short: `xml:lang` on the feed and on entries in another language,
 * plain-text titles (`type="text"`), categories with a `term`, and the lead image and linked
 * documents as enclosure links with their real media type and length (the image's alt text as the
 * link's `title`). Each entry's `updated` is the release's real last change: two releases of the
 * same minute share it (the W3C validator notes DuplicateUpdated; that is the truth, not an error).
 */
export function renderAtom(head: FeedHead, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: head.urls.atom,
    title: forXmlJsText(head.title),
    description: forXmlJsText(head.description),
    updated: head.updated,
    generator: false,
    link: head.homeUrl,
    feedLinks: { atom: head.urls.atom },
    ...(head.hub === undefined ? {} : { hub: head.hub }),
    ...(head.logo === undefined ? {} : { image: head.logo }),
    ...(head.icon === undefined ? {} : { favicon: head.icon }),
    author: { name: forXmlJsText(head.authorName) },
  });
  entries.forEach((entry, i) => {
    // Atom wants text in every entry (the W3C validator warns without): an entry with neither
    // body nor summary is summarised by its title.
    const summary = entry.summary ?? (entry.contentHtml === '' ? entry.title : undefined);
    feed.addItem({
      title: placeholder(`e${i}`),
      id: entry.id,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      ...(summary === undefined ? {} : { description: escapeXml(summary) }),
      ...(entry.contentHtml === '' ? {} : { content: cdataSafeHtml(entry.contentHtml) }),
      author: [{ name: forXmlJsText(entry.author) }],
    });
  });

  let xml = replaceRootTag(
    'atom',
    feed.atom1(),
    ATOM_ROOT,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(head.lang)}">`,
  );
  xml = fillPlaceholders(
    'atom',
    xml,
    ENTRY_HEAD,
    entries.map((_, i) => `e${i}`),
    (key, match) => {
      const entry = entries[Number(key.slice(1))] as FeedEntry;
      return entryHead(entry, head.lang, match.groups?.indent ?? '\n');
    },
  );
  assertNoPlaceholders('atom', xml);
  return xmlSafe(xml);
}

/** The start tag of an entry and the children we write ourselves, one per line. */
export function entryHead(entry: FeedEntry, feedLang: string, indent: string): string {
  const lang = entry.lang === feedLang ? '' : ` xml:lang="${escapeXml(entry.lang)}"`;
  const children = [`<title type="text">${escapeXml(entry.title)}</title>`];
  for (const term of entry.terms) {
    children.push(`<category term="${escapeXml(term)}"/>`);
  }
  const image = entry.image;
  if (image?.type !== undefined) {
    // Untyped enclosures are read as text/html by feedparser, so an image of unknown type stays out.
    children.push(
      enclosure(image.url, image.type, image.length, image.alt === '' ? undefined : image.alt),
    );
  }
  for (const attachment of entry.attachments) {
    children.push(enclosure(attachment.url, attachment.type, attachment.length, attachment.title));
  }
  for (const translation of entry.translations) {
    children.push(
      `<link rel="alternate" hreflang="${escapeXml(translation.lang)}" href="${escapeXml(translation.url)}" title="${escapeXml(translation.title)}"/>`,
    );
  }
  return `<entry${lang}>${children.map((child) => indent + child).join('')}`;
}

function enclosure(url: string, type: string, length?: number, title?: string): string {
  const size = length === undefined ? '' : ` length="${length}"`;
  const label = title === undefined ? '' : ` title="${escapeXml(title)}"`;
  return `<link rel="enclosure" href="${escapeXml(url)}" type="${escapeXml(type)}"${size}${label}/>`;
}
