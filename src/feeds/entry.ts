import { lastChanged, type Release } from '../release/types.js';
import { xmlSafe } from '../site/fast-text.js';

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
  author?: string;
  summary?: string;
  contentHtml: string;
  /** The category's display name first, then the tags, without duplicates or blanks. */
  terms: string[];
  image?: { url: string; type?: string };
  /** The release's other language versions (`translation_key`). */
  translations: { lang: string; url: string; title: string }[];
}

/** Turns a release into a {@link FeedEntry}. */
export function toFeedEntry(release: Release): FeedEntry {
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
    ...optional('author', release.author),
    ...optional('summary', release.summary),
    contentHtml: clean(release.contentHtml),
    terms,
    ...(release.image === undefined ? {} : { image: imageOf(clean(release.image)) }),
    translations: (release.translations ?? []).map(({ lang, url, title }) => ({
      lang: clean(lang),
      url: clean(url),
      title: clean(title),
    })),
  };
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

/** The image with its media type when the file extension tells it. */
function imageOf(url: string): { url: string; type?: string } {
  let extension: string | undefined;
  try {
    extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  } catch {
    extension = undefined; // not a URL: leave the type out rather than guess
  }
  const type = extension === undefined ? undefined : IMAGE_TYPES[extension];
  return type === undefined ? { url } : { url, type };
}

function clean(text: string): string {
  return xmlSafe(text).trim();
}

/** `{ key: cleaned }` when the value has text, else `{}` (so optional fields stay absent). */
function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  const text = value === undefined ? '' : clean(value);
  return (text === '' ? {} : { [key]: text }) as { [P in K]?: string };
}
