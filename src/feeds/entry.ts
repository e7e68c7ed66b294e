import { mediaAt, publishedDocuments } from '../media/published.js';
import { lastChanged, type Release } from '../release/types.js';
import { escapeText, xmlSafe } from '../site/fast-text.js';

/** The lead image as feeds describe it; size facts only for a published file. */
export interface FeedImage {
  url: string;
  type?: string;
  /** Bytes. */
  length?: number;
  width?: number;
  height?: number;
  /** `image_alt`; empty when the release gives none. */
  alt: string;
}

/** A published document the release links to. */
interface FeedAttachment {
  url: string;
  type: string;
  /** Bytes. */
  length: number;
  /** The file's name. */
  title: string;
}

/** What every feed format needs to know about one release, cleaned of XML-illegal characters. */
export interface FeedEntry {
  id: string;
  url: string;
  title: string;
  lang: string;
  published: Date;
  /** `updated` when the release states one (never before `published`), else `published`. */
  updated: Date;
  /** Whether the release stated its own `updated`. */
  edited: boolean;
  /** The release's own author, else the organisation (the site title). */
  author: string;
  summary?: string;
  /** The body, with the kicker (when there is one) as an italic line above it. */
  contentHtml: string;
  /** The category's display name first, then the tags, without duplicates or blanks. */
  terms: string[];
  image?: FeedImage;
  attachments: FeedAttachment[];
  /** The release's other language versions (`translation_key`). */
  translations: { lang: string; url: string; title: string }[];
}

/**
 * Turns a release into a {@link FeedEntry}; `organisation` (the site title) is the author of a
 * release that names none.
 */
export function toFeedEntry(release: Release, organisation: string): FeedEntry {
  const published = release.published;
  const updated = lastChanged(release);
  const terms = [
    ...new Set([release.category, ...release.tags].map(clean).filter((term) => term !== '')),
  ];
  return {
    id: clean(release.id),
    url: clean(release.url),
    title: clean(release.title),
    lang: clean(release.lang),
    published,
    updated,
    edited: release.updated !== undefined,
    author: clean(release.author ?? '') || clean(organisation),
    ...optional('summary', release.summary),
    contentHtml: withKicker(release.kicker, clean(release.contentHtml)),
    terms,
    ...(release.image === undefined ? {} : { image: imageOf(release, release.image) }),
    attachments: publishedDocuments(release).map((media) => ({
      url: clean(media.url),
      type: media.file.contentType,
      length: media.file.length,
      title: clean(media.sourcePath.slice(media.sourcePath.lastIndexOf('/') + 1)),
    })),
    translations: (release.translations ?? []).map(({ lang, url, title }) => ({
      lang: clean(lang),
      url: clean(url),
      title: clean(title),
    })),
  };
}

/** The kicker as what it is in the release: an italic line above the text. */
function withKicker(kicker: string | undefined, html: string): string {
  const text = kicker === undefined ? '' : clean(kicker);
  return text === '' ? html : `<p class="kicker"><em>${escapeText(text)}</em></p>\n${html}`;
}

/** The feed-level `updated`: the latest item `updated`, or {@link EMPTY_FEED_UPDATED}. */
export function latestUpdate(entries: readonly FeedEntry[]): Date {
  let latest = EMPTY_FEED_UPDATED;
  for (const entry of entries) {
    if (entry.updated.getTime() > latest.getTime()) latest = entry.updated;
  }
  return latest;
}

/**
 * The `updated` of a feed without items: 2000-01-01T00:00:00Z. Fixed (never the clock) so that an
 * empty feed, too, is byte-identical from build to build; not the Unix epoch, which the W3C
 * validator flags as an implausible date (anything before 1990).
 */
export const EMPTY_FEED_UPDATED = new Date('2000-01-01T00:00:00Z');

const IMAGE_TYPES: Record<string, string> = {
  avif: 'image/avif',
  gif: 'image/gif',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  webp: 'image/webp',
};

/**
 * The lead image: a published file with the facts its bytes gave (type, length, size); an address
 * elsewhere with its media type when the file extension tells it.
 */
function imageOf(release: Release, rawUrl: string): FeedImage {
  const url = clean(rawUrl);
  const alt = clean(release.imageAlt ?? '');
  const published = mediaAt(release, rawUrl)?.file;
  if (published !== undefined) {
    return {
      url,
      type: published.contentType,
      length: published.length,
      ...(published.width === undefined ? {} : { width: published.width }),
      ...(published.height === undefined ? {} : { height: published.height }),
      alt,
    };
  }
  let extension: string | undefined;
  try {
    extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  } catch {
    extension = undefined; // not a URL: leave the type out rather than guess
  }
  const type = extension === undefined ? undefined : IMAGE_TYPES[extension];
  return type === undefined ? { url, alt } : { url, type, alt };
}

function clean(text: string): string {
  return xmlSafe(text).trim();
}

/** `{ key: cleaned }` when the value has text, else `{}` (so optional fields stay absent). */
function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  const text = value === undefined ? '' : clean(value);
  return (text === '' ? {} : { [key]: text }) as { [P in K]?: string };
}
