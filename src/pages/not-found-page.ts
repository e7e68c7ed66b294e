import { UI_LANGS } from '../shared/strings.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { langAttributes } from './direction.js';
import { renderPage } from './layout.js';
import { faviconFile } from './share-meta.js';
import { stringsFor, uiLang } from './strings.js';
import { themeFile } from './theme.js';

/** Where the 404 page lives: CloudFront's custom error response and the local server serve it. */
export const NOT_FOUND_PATH = '404.html';

/**
 * The page for an address that has no page, `404.html`: in the site's default language, then
 * the same short text in the other UI languages (a reader who followed a broken link may read
 * any of them), with a link to the front page. Served at any depth, so every link is absolute;
 * `noindex` keeps it out of search results.
 */
export function renderNotFoundPage(site: SiteConfig): string {
  const lang = site.defaultLang;
  const first = uiLang(lang);
  const front = `${site.siteUrl}/index.html`;
  const sections = [first, ...UI_LANGS.filter((other) => other !== first)].map((ui, index) => {
    const strings = stringsFor(ui);
    const heading =
      index === 0
        ? `<h1>${escapeText(strings.notFoundTitle)}</h1>`
        : `<h2>${escapeText(strings.notFoundTitle)}</h2>`;
    return `<section${langAttributes(ui, lang)}>
${heading}
<p>${escapeText(strings.notFoundText)}</p>
<p><a href="${escapeText(front)}">${escapeText(strings.backToFrontPage)}</a></p>
</section>`;
  });
  const ui = stringsFor(lang);
  return renderPage({
    site,
    lang,
    title: `${ui.notFoundTitle} – ${site.title}`,
    canonical: `${site.siteUrl}/${NOT_FOUND_PATH}`,
    feeds: [],
    root: `${site.siteUrl}/`,
    main: sections.join('\n'),
    noindex: true,
  });
}

/** `404.html`; depends only on the site settings. */
export function notFoundFile(site: SiteConfig): SiteFile {
  return {
    path: NOT_FOUND_PATH,
    body: renderNotFoundPage(site),
    contentType: 'text/html; charset=utf-8',
    cacheControl: 'public, max-age=300',
  };
}

/**
 * The files every build writes whatever the releases: `404.html`, `theme.css`, `favicon.svg`. Both depend
 * only on the site settings.
 */
export function siteWideFiles(site: SiteConfig): SiteFile[] {
  return [notFoundFile(site), themeFile(site), faviconFile(site)];
}
