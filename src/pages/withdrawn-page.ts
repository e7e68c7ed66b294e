import type { Release } from '../release/types.js';
import { interpolate } from '../shared/strings.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { releasePagePath } from '../site/slugs.js';
import { langAttributes } from './direction.js';
import { renderPage } from './layout.js';
import { timeElement } from './release-list.js';
import { stringsFor, uiLang } from './strings.js';

/** What a withdrawn page keeps of the release it replaces. */
export type WithdrawnRelease = Pick<Release, 'title' | 'lang' | 'published' | 'slug' | 'url'>;

/**
 * The page left at a deleted release's address, `releases/<slug>.html`, like GOV.UK's withdrawn
 * notices: in the release's language, it says the release was withdrawn on `withdrawnAt`, with its
 * title and original publication date, and links to the front page. `noindex` tells search engines
 * to drop it; feeds, sitemaps and listings leave the release as before.
 */
export function renderWithdrawnPage(
  release: WithdrawnRelease,
  withdrawnAt: Date,
  site: SiteConfig,
): string {
  const { lang } = release;
  const ui = stringsFor(lang);
  const chrome = langAttributes(uiLang(lang), lang);
  // The sentence is the site's text (in the UI language) around the release's title (in its own).
  const title = `<span${langAttributes(lang, uiLang(lang))}>${escapeText(release.title)}</span>`;
  const main = `<div class="notice"${chrome}>
<h1>${escapeText(ui.withdrawnTitle)}</h1>
<p>${interpolate(ui.withdrawnText, { title, date: timeElement(withdrawnAt, lang, site) })}</p>
<p>${escapeText(ui.withdrawnPublished)}: ${timeElement(release.published, lang, site)}</p>
</div>
<p${chrome}><a href="../index.html">${escapeText(ui.backToFrontPage)}</a></p>`;
  return renderPage({
    site,
    lang,
    title: `${ui.withdrawnTitle}: ${release.title} – ${site.title}`,
    canonical: release.url,
    feeds: [],
    root: '../',
    main,
    noindex: true,
  });
}

/** The withdrawn page's file, at the release page's own path. */
export function withdrawnPageFile(
  release: WithdrawnRelease,
  withdrawnAt: Date,
  site: SiteConfig,
): SiteFile {
  return {
    path: releasePagePath(release.slug),
    body: renderWithdrawnPage(release, withdrawnAt, site),
    contentType: 'text/html; charset=utf-8',
    cacheControl: 'public, max-age=3600',
  };
}
