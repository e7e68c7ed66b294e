import { Feed } from 'feed';
import { shortHash } from '../shared/text.js';
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
 * plain-text titles (`type="text"`), categories with a `term`, and the lead image as an enclosure
 * link with its real media type.
 */
export function renderAtom(head: FeedHead, entries: readonly FeedEntry[]): string {
  const updates = distinctUpdates(entries);
  const feed = new Feed({
    id: head.urls.atom,
    title: forXmlJsText(head.title),
    description: forXmlJsText(head.description),
    updated: entries.length === 0 ? head.updated : latest(updates),
    generator: false,
    link: head.homeUrl,
    feedLinks: { atom: head.urls.atom },
    ...(head.hub === undefined ? {} : { hub: head.hub }),
    ...(head.logo === undefined ? {} : { image: head.logo }),
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
      date: updates[i] as Date,
      published: entry.published,
      ...(summary === undefined ? {} : { description: escapeXml(summary) }),
      ...(entry.contentHtml === '' ? {} : { content: cdataSafeHtml(entry.contentHtml) }),
      ...(entry.author === undefined ? {} : { author: [{ name: forXmlJsText(entry.author) }] }),
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
function entryHead(entry: FeedEntry, feedLang: string, indent: string): string {
  const lang = entry.lang === feedLang ? '' : ` xml:lang="${escapeXml(entry.lang)}"`;
  const children = [`<title type="text">${escapeXml(entry.title)}</title>`];
  for (const term of entry.terms) {
    children.push(`<category term="${escapeXml(term)}"/>`);
  }
  if (entry.image?.type !== undefined) {
    // Untyped enclosures are read as text/html by feedparser, so an image of unknown type stays out.
    children.push(
      `<link rel="enclosure" href="${escapeXml(entry.image.url)}" type="${escapeXml(entry.image.type)}"/>`,
    );
  }
  for (const translation of entry.translations) {
    children.push(
      `<link rel="alternate" hreflang="${escapeXml(translation.lang)}" href="${escapeXml(translation.url)}" title="${escapeXml(translation.title)}"/>`,
    );
  }
  return `<entry${lang}>${children.map((child) => indent + child).join('')}`;
}

/**
 * Each entry's `atom:updated`, made distinct within the feed. Releases often share an instant (two
 * date-only releases of the same day), and the W3C validator warns about entries with the same
 * `updated`. A time on the whole second (nearly all of them: releases state minutes) moves by a
 * sub-second offset derived from the entry's id, so it is the same in every feed and every build
 * and the second that readers show is unchanged; the rare entries that still meet move on by a
 * millisecond each, in feed order.
 */
export function distinctUpdates(entries: readonly FeedEntry[]): Date[] {
  const taken = new Set<number>();
  return entries.map((entry) => {
    let ms = entry.updated.getTime();
    if (ms % 1000 === 0) ms += Number.parseInt(shortHash(entry.id, 8), 16) % 1000;
    while (taken.has(ms)) ms += 1;
    taken.add(ms);
    return new Date(ms);
  });
}

function latest(dates: readonly Date[]): Date {
  return new Date(Math.max(...dates.map((date) => date.getTime())));
}
