import { escapeXml } from '../feeds/xml.js';
import { compareCodeUnits } from './order.js';

/**
 * Sitemaps (sitemaps.org protocol 0.9) for search engines: `sitemap.xml` is an index of one sitemap
 * for the front page and archive pages and one per archive year for its release pages. A year's
 * sitemap depends only on that year's releases, so publishing one release rewrites one small file,
 * the way the archive pages work, and no sitemap comes near the protocol's 50,000 URLs.
 */

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** One `<url>` of a sitemap. */
export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
  /**
   * The page's language versions, itself included, as `<xhtml:link rel="alternate" hreflang>`
   * (the form Google documents for sitemaps); empty or absent for a page in one language.
   */
  alternates?: readonly { lang: string; href: string }[];
}

/** A `<urlset>` of `urls`, sorted by address so that the input order never matters. */
export function renderUrlSet(urls: readonly SitemapUrl[]): string {
  const sorted = [...urls].sort((a, b) => compareCodeUnits(a.loc, b.loc));
  const entries = sorted.map((url) => {
    const lastmod =
      url.lastmod === undefined ? '' : `<lastmod>${w3cDatetime(url.lastmod)}</lastmod>`;
    const alternates = (url.alternates ?? []).map(
      ({ lang, href }) =>
        `<xhtml:link rel="alternate" hreflang="${escapeXml(lang)}" href="${escapeXml(href)}"/>`,
    );
    return `<url><loc>${escapeXml(url.loc)}</loc>${lastmod}${alternates.join('')}</url>\n`;
  });
  // The XHTML namespace is declared only where it is used, so a one-language site's sitemaps
  // stay exactly as they were.
  const xhtml = sorted.some((url) => (url.alternates ?? []).length > 0)
    ? ` xmlns:xhtml="${XHTML_NS}"`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${SITEMAP_NS}"${xhtml}>\n${entries.join('')}</urlset>\n`;
}

/** A `<sitemapindex>` of the sitemaps at `locs`, in the order given. */
export function renderSitemapIndex(locs: readonly string[]): string {
  const entries = locs.map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc></sitemap>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${SITEMAP_NS}">\n${entries.join('')}</sitemapindex>\n`;
}

/** W3C Datetime to the second in UTC, e.g. `2025-04-09T15:33:00Z`. */
function w3cDatetime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
