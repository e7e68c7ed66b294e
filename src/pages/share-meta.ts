import { mediaAt } from '../media/published.js';
import type { Release } from '../release/types.js';
import { lastChanged } from '../release/types.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { brandingOf, organisationName } from '../site/site-config.js';
import { machineDateTime } from './dates.js';
import { uiLang } from './strings.js';
import { lightPalette } from './theme.js';

/** The region a language's readers are assumed in, for `og:locale` (`fi_FI`, `sv_FI`, `en_GB`). */
const LOCALE_REGION: Readonly<Record<string, string>> = { fi: 'FI', sv: 'FI', en: 'GB' };

/** A language as Open Graph writes a locale: `sv` → `sv_FI`; others by their own region or alone. */
export function ogLocale(lang: string): string {
  const [primary = lang, region] = lang.split('-');
  const country = region?.toUpperCase() ?? LOCALE_REGION[primary];
  return country === undefined ? primary : `${primary}_${country}`;
}

/** What a share preview or search result needs of a page. */
export interface ShareSubject {
  /** Plain text. */
  title: string;
  /** Plain text. */
  description?: string;
  url: string;
  lang: string;
  /** Languages of the same page's translations. */
  alternateLangs?: readonly string[];
  image?: { url: string; alt?: string; width?: number; height?: number };
}

/**
 * Open Graph and Twitter card tags for a page: title, description, URL, site name, locale and
 * its alternates, and the image with its alt text (and dimensions when known). Escaped HTML.
 */
export function shareTags(
  subject: ShareSubject,
  site: SiteConfig,
  type: 'website' | 'article',
): string {
  const meta = (property: string, content: string | number) =>
    `<meta property="${property}" content="${escapeText(String(content))}">`;
  const named = (name: string, content: string) =>
    `<meta name="${name}" content="${escapeText(content)}">`;
  const tags = [
    meta('og:type', type),
    meta('og:site_name', organisationName(site, uiLang(subject.lang))),
    meta('og:title', subject.title),
    meta('og:url', subject.url),
    meta('og:locale', ogLocale(subject.lang)),
    ...(subject.alternateLangs ?? []).map((lang) => meta('og:locale:alternate', ogLocale(lang))),
  ];
  if (subject.description !== undefined) tags.push(meta('og:description', subject.description));
  const { image } = subject;
  if (image !== undefined) {
    tags.push(meta('og:image', image.url));
    if (image.width !== undefined && image.height !== undefined) {
      tags.push(meta('og:image:width', image.width), meta('og:image:height', image.height));
    }
    if (image.alt !== undefined) tags.push(meta('og:image:alt', image.alt));
  }
  tags.push(named('twitter:card', image === undefined ? 'summary' : 'summary_large_image'));
  tags.push(named('twitter:title', subject.title));
  if (subject.description !== undefined)
    tags.push(named('twitter:description', subject.description));
  if (image !== undefined) {
    tags.push(named('twitter:image', image.url));
    if (image.alt !== undefined) tags.push(named('twitter:image:alt', image.alt));
  }
  return tags.join('\n');
}

/**
 * JSON-LD `NewsArticle` for a release: headline, description, dates, language, image, author and
 * the city as publisher (`GovernmentOrganization`, with its logo when configured). `<` is written
 * as `\u003c`, so no text can close the element early.
 */
function newsArticleJsonLd(release: Release, site: SiteConfig): string {
  const branding = brandingOf(site);
  const publisher: Record<string, unknown> = {
    '@type': 'GovernmentOrganization',
    name: organisationName(site, uiLang(release.lang)),
    url: `${site.siteUrl}/`,
  };
  if (branding.logo !== undefined) {
    publisher.logo = {
      '@type': 'ImageObject',
      url: branding.logo.startsWith('https://')
        ? branding.logo
        : `${site.siteUrl}/${branding.logo}`,
    };
  }
  const article: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: release.title,
    ...(release.summary === undefined ? {} : { description: release.summary }),
    inLanguage: release.lang,
    url: release.url,
    mainEntityOfPage: release.url,
    datePublished: machineDateTime(release.published),
    dateModified: machineDateTime(lastChanged(release)),
    ...(release.image === undefined ? {} : { image: [release.image] }),
    ...(release.category === '' ? {} : { articleSection: release.category }),
    author: release.author === undefined ? publisher : { '@type': 'Person', name: release.author },
    publisher,
  };
  const json = JSON.stringify(article).replaceAll('<', '\\u003c');
  return `<script type="application/ld+json">${json}</script>`;
}

/**
 * Everything a release page's `<head>` says to share previews and search engines: Open Graph,
 * Twitter card, `article:` times and JSON-LD.
 */
export function releaseShareMeta(
  release: Release,
  site: SiteConfig,
  alternateLangs: readonly string[] = [],
): string {
  const subject: ShareSubject = {
    title: release.title,
    url: release.url,
    lang: release.lang,
    alternateLangs,
    ...(release.summary === undefined ? {} : { description: release.summary }),
    ...(release.image === undefined ? {} : { image: shareImage(release, release.image) }),
  };
  return `${shareTags(subject, site, 'article')}
<meta property="article:published_time" content="${machineDateTime(release.published)}">
<meta property="article:modified_time" content="${machineDateTime(lastChanged(release))}">
${newsArticleJsonLd(release, site)}
`;
}

/**
 * The lead image as share previews describe it: its pixel size only when the media index checked
 * the published file's bytes (an image elsewhere, or one not yet checked, gets none rather than a
 * guess), and its alt text.
 */
function shareImage(release: Release, url: string): NonNullable<ShareSubject['image']> {
  const file = mediaAt(release, url)?.file;
  return {
    url,
    ...(release.imageAlt === undefined ? {} : { alt: release.imageAlt }),
    ...(file?.width === undefined || file.height === undefined
      ? {}
      : { width: file.width, height: file.height }),
  };
}

/** Where the favicon lives, relative to the site root. */
export const FAVICON_PATH = 'favicon.svg';

/** The favicon: the organisation's initial on its colour, as `favicon.svg`. */
export function faviconFile(site: SiteConfig): SiteFile {
  const color = brandingOf(site).primaryColor;
  const initial = [...organisationName(site, site.defaultLang).trim()][0]?.toUpperCase() ?? '';
  return {
    path: FAVICON_PATH,
    body: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${color}"/><text x="16" y="23" font-family="system-ui,sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="${lightPalette(color).headerText}">${escapeText(initial)}</text></svg>\n`,
    contentType: 'image/svg+xml',
    cacheControl: 'public, max-age=300',
  };
}
