import { ALL_SCOPE, type FeedScope, scopeFeedUrls, scopeTitle } from '../feeds/scopes.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { langAttributes, textDirection } from './direction.js';
import { stringsFor, type UiStrings, uiLang } from './strings.js';

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
}

// Small, phone-first, no external resources; works in light and dark mode.
const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.55}
body{margin:0 auto;max-width:44rem;padding:0 1rem 2rem;overflow-wrap:break-word}
a{color:LinkText}
img{max-width:100%;height:auto}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:1rem;top:1rem;padding:.5rem 1rem;background:Canvas;color:CanvasText;outline:2px solid}
.site-header{padding:1rem 0;border-bottom:1px solid GrayText}
.site-name{margin:0;font-weight:700}
.site-footer{margin-top:3rem;padding-top:1rem;border-top:1px solid GrayText;font-size:.95rem}
.kicker{margin:1.5rem 0 0;text-transform:uppercase;letter-spacing:.05em;font-size:.85rem}
h1{line-height:1.2;margin:.25rem 0 .75rem}
.meta{font-size:.95rem}
.meta dt{display:inline;font-weight:600}
.meta dd{display:inline;margin:0 1rem 0 .25rem}
.summary{font-size:1.15rem}
.releases{list-style:none;padding:0}
.releases li{margin:0 0 1.5rem}
.releases :is(h2,h3){margin:0;font-size:1.1rem}
.releases p{margin:.25rem 0}
fieldset{border:1px solid GrayText;margin:1rem 0;padding:.5rem 1rem}
label.choice{display:block;padding:.2rem 0}
input,select,button{font:inherit}
input[type=email]{width:100%;max-width:24rem;box-sizing:border-box}
button{padding:.5rem 1.25rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
`
  .trim()
  .replaceAll('\n', '');

const FEED_FORMATS = [
  { key: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { key: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { key: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

/**
 * A complete HTML5 document: head with charset, viewport, canonical link, feed autodiscovery and
 * inline style; a skip link, the site header, `main`, and a footer linking the site-wide feeds.
 * `main` must be free of XML-illegal characters (use `escapeText` and `xmlSafe`).
 * The site's own texts are in the page's language when we have them; when we do not, they are in
 * English and say so with their own `lang`. No JavaScript.
 */
export function renderPage(shell: PageShell): string {
  const { site, lang, root } = shell;
  const ui = stringsFor(lang);
  const chrome = langAttributes(uiLang(lang), lang);
  const dir = textDirection(lang) === 'rtl' ? ' dir="rtl"' : '';
  const description =
    shell.description === undefined
      ? ''
      : `<meta name="description" content="${escapeText(shell.description)}">\n`;
  return `<!doctype html>
<html lang="${escapeText(lang)}"${dir}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(shell.title)}</title>
${description}<link rel="canonical" href="${escapeText(shell.canonical)}">
${shell.feeds.map((scope) => feedLinks(scope, site)).join('\n')}
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main"${chrome}>${escapeText(ui.skipToContent)}</a>
<header class="site-header"${chrome}>
<p class="site-name"><a href="${root}index.html">${escapeText(site.title)}</a></p>
</header>
<main id="main">
${shell.main}
</main>
<footer class="site-footer"${chrome}>
${footer(site, ui)}
</footer>
</body>
</html>
`;
}

// The same few scopes are announced, and the same footer shown, on thousands of pages: each block
// is built once per site (a block depends on the site's URL and title, which are checked).
interface SiteBlocks {
  siteUrl: string;
  title: string;
  feedLinks: Map<string, string>;
  footers: Map<UiStrings, string>;
}
const blocksBySite = new WeakMap<SiteConfig, SiteBlocks>();

function blocksFor(site: SiteConfig): SiteBlocks {
  let blocks = blocksBySite.get(site);
  if (blocks === undefined || blocks.siteUrl !== site.siteUrl || blocks.title !== site.title) {
    blocks = { siteUrl: site.siteUrl, title: site.title, feedLinks: new Map(), footers: new Map() };
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

function footer(site: SiteConfig, ui: UiStrings): string {
  const cache = blocksFor(site).footers;
  let html = cache.get(ui);
  if (html === undefined) {
    html = `<p>${escapeText(ui.feeds)}: ${feedAnchors(ALL_SCOPE, site)}</p>`;
    cache.set(ui, html);
  }
  return html;
}

/** Links to a scope's three feeds, for reading: `Atom · RSS · JSON Feed`. */
export function feedAnchors(scope: FeedScope, site: SiteConfig): string {
  const urls = scopeFeedUrls(scope, site);
  return FEED_FORMATS.map(
    (format) =>
      `<a href="${escapeText(urls[format.key])}" type="${format.type}">${format.label}</a>`,
  ).join(' · ');
}
