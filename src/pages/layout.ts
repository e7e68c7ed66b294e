import { ALL_SCOPE, type FeedScope, scopeFeedUrls, scopeTitle } from '../feeds/scopes.js';
import type { SiteBranding, SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { brandingOf, localized, organisationName } from '../site/site-config.js';
import { langAttributes, textDirection } from './direction.js';
import { FAVICON_PATH } from './share-meta.js';
import { inLanguage, type PageStrings, stringsFor, uiLang } from './strings.js';
import { CRITICAL_STYLE, THEME_PATH } from './theme.js';

/** What every page has around its main content. */
export interface PageShell {
  site: SiteConfig;
  /** Language of the page's content: `<html lang>`. */
  lang: string;
  /** Plain text for `<title>`. */
  title: string;
  /** Plain text for the description meta tag. */
  description?: string;
  /** Absolute URL of the page. */
  canonical: string;
  /** Feeds announced in `<head>` for autodiscovery, in this order. */
  feeds: readonly FeedScope[];
  /** Relative path from the page to the site root: `''` or `'../'`. */
  root: string;
  /** HTML of the page's `<main>` element's content, with exactly one `<h1>`. */
  main: string;
  /**
   * The same page in other languages (linked translations): `<link rel="alternate" hreflang>` in
   * `<head>` and the header's language switch.
   */
  alternates?: readonly PageAlternate[];
  /** Share and search metadata for `<head>` (src/pages/share-meta.ts), already escaped. */
  head?: string;
  /** `noindex`: search engines should drop the page (withdrawn releases, the 404 page). */
  noindex?: boolean;
}

/** A version of the page in another language. */
export interface PageAlternate {
  /** BCP 47 language of that version. */
  lang: string;
  /** Absolute URL of that version. */
  href: string;
}

const FEED_FORMATS = [
  { key: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { key: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { key: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

/**
 * A complete HTML5 document: head with charset, viewport, canonical link, language alternates,
 * share metadata, feed autodiscovery and the inline theme; a skip link, the site header (logo,
 * organisation name, language switch), `main`, and a footer with the contact line, the privacy
 * and accessibility links and the site-wide feeds.
 * `main` must be free of XML-illegal characters (use `escapeText` and `xmlSafe`).
 * The site's own texts are in the page's language when we have them; when we do not, they are in
 * English and say so with their own `lang`. No JavaScript, nothing loaded from elsewhere.
 */
export function renderPage(shell: PageShell): string {
  const { site, lang } = shell;
  const ui = stringsFor(lang);
  const chrome = langAttributes(uiLang(lang), lang);
  const dir = textDirection(lang) === 'rtl' ? ' dir="rtl"' : '';
  const description =
    shell.description === undefined
      ? ''
      : `<meta name="description" content="${escapeText(shell.description)}">\n`;
  const robots = shell.noindex === true ? '<meta name="robots" content="noindex">\n' : '';
  const alternates = shell.alternates ?? [];
  const hreflang =
    alternates.length === 0
      ? ''
      : `${[{ lang, href: shell.canonical }, ...alternates]
          .map(
            (page) =>
              `<link rel="alternate" hreflang="${escapeText(page.lang)}" href="${escapeText(page.href)}">`,
          )
          .join('\n')}\n`;
  return `<!doctype html>
<html lang="${escapeText(lang)}"${dir}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(shell.title)}</title>
${description}${robots}<link rel="canonical" href="${escapeText(shell.canonical)}">
${hreflang}${shell.head ?? ''}${shell.feeds.map((scope) => feedLinks(scope, site)).join('\n')}
<link rel="icon" href="${shell.root}${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="${shell.root}${THEME_PATH}">
<style>${CRITICAL_STYLE}</style>
</head>
<body>
<a class="skip" href="#main"${chrome}>${escapeText(ui.skipToContent)}</a>
${header(shell, chrome)}
<main id="main" class="wrap">
${shell.main}
</main>
<footer class="site-footer"${chrome}>
${footer(site, ui)}
</footer>
</body>
</html>
`;
}

function header(shell: PageShell, chrome: string): string {
  const { site, lang, root } = shell;
  const blocks = blocksFor(site);
  const logo =
    blocks.branding.logo === undefined
      ? ''
      : `<img class="logo" src="${escapeText(assetUrl(blocks.branding.logo, root))}" alt="">`;
  const name = organisationName(site, uiLang(lang));
  const alternates = shell.alternates ?? [];
  const switcher =
    alternates.length === 0
      ? ''
      : `\n<nav class="lang-switch" aria-label="${escapeText(stringsFor(lang).otherLanguages)}"><ul>${alternates
          .map(
            (page) =>
              `<li><a href="${escapeText(page.href)}" hreflang="${escapeText(page.lang)}" lang="${escapeText(page.lang)}">${escapeText(inLanguage(page.lang))}</a></li>`,
          )
          .join('')}</ul></nav>`;
  return `<header class="site-header"${chrome}>
<div class="wrap">
<p class="site-name"><a href="${root}index.html">${logo}<span>${escapeText(name)}</span></a></p>${switcher}
</div>
</header>`;
}

/** A configured asset (logo): an https URL as it is, a site path relative to the page. */
function assetUrl(path: string, root: string): string {
  return path.startsWith('https://') ? path : `${root}${path}`;
}

// The same few scopes are announced, and the same footer shown, on thousands of pages: each block
// is built once per site (a block depends on the site's URL and title, which are checked).
interface SiteBlocks {
  siteUrl: string;
  title: string;
  branding: SiteBranding;
  feedLinks: Map<string, string>;
  footers: Map<PageStrings, string>;
}
const blocksBySite = new WeakMap<SiteConfig, SiteBlocks>();

function blocksFor(site: SiteConfig): SiteBlocks {
  let blocks = blocksBySite.get(site);
  const branding = brandingOf(site);
  if (
    blocks === undefined ||
    blocks.siteUrl !== site.siteUrl ||
    blocks.title !== site.title ||
    (site.branding !== undefined && blocks.branding !== site.branding)
  ) {
    blocks = {
      siteUrl: site.siteUrl,
      title: site.title,
      branding,
      feedLinks: new Map(),
      footers: new Map(),
    };
    blocksBySite.set(site, blocks);
  }
  return blocks;
}

/** `<link rel="alternate">` to the scope's Atom, RSS and JSON feeds. */
function feedLinks(scope: FeedScope, site: SiteConfig): string {
  const cache = blocksFor(site).feedLinks;
  // The title is the site's title and the scope's name; the URLs come from the folder.
  const key = scope.kind === 'all' ? scope.folder : `${scope.folder}\n${scope.name}`;
  let links = cache.get(key);
  if (links === undefined) {
    const title = scopeTitle(scope, site);
    const urls = scopeFeedUrls(scope, site);
    links = FEED_FORMATS.map(
      (format) =>
        `<link rel="alternate" type="${format.type}" title="${escapeText(`${title} (${format.label})`)}" href="${escapeText(urls[format.key])}">`,
    ).join('\n');
    if (cache.size > 10_000) cache.clear();
    cache.set(key, links);
  }
  return links;
}

function footer(site: SiteConfig, ui: PageStrings): string {
  const cache = blocksFor(site).footers;
  let html = cache.get(ui);
  if (html === undefined) {
    html = footerHtml(site, ui, blocksFor(site).branding);
    cache.set(ui, html);
  }
  return html;
}

function footerHtml(site: SiteConfig, ui: PageStrings, branding: SiteBranding): string {
  const lang = ui.lang;
  const text = (value: Parameters<typeof localized>[0]) => localized(value, lang, site.defaultLang);
  const contact = text(branding.contact);
  const links = [
    [text(branding.privacyUrl), ui.privacy],
    [text(branding.accessibilityUrl), ui.accessibility],
  ].flatMap(([href, label]) =>
    href === undefined
      ? []
      : [`<li><a href="${escapeText(href)}">${escapeText(label ?? '')}</a></li>`],
  );
  return `<div class="wrap">
<p class="organisation"><strong>${escapeText(organisationName(site, lang))}</strong></p>
${contact === undefined ? '' : `<p class="contact">${escapeText(contact)}</p>\n`}${links.length === 0 ? '' : `<ul class="footer-links">${links.join('')}</ul>\n`}<p class="feeds">${escapeText(ui.feeds)}: ${feedAnchors(ALL_SCOPE, site)}</p>
</div>`;
}

/** Links to a scope's three feeds, for reading: `Atom · RSS · JSON Feed`. */
export function feedAnchors(scope: FeedScope, site: SiteConfig): string {
  const urls = scopeFeedUrls(scope, site);
  return FEED_FORMATS.map(
    (format) =>
      `<a href="${escapeText(urls[format.key])}" type="${format.type}">${format.label}</a>`,
  ).join(' · ');
}
