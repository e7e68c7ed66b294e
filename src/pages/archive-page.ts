import { ALL_SCOPE } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { newestFirst } from '../site/order.js';
import { localYear } from './dates.js';
import { renderPage } from './layout.js';
import { releaseList } from './release-list.js';
import { stringsFor } from './strings.js';

/**
 * The archive page of one year, `archive/<year>.html`, in `site.defaultLang`: every release
 * published that year (in `site.timeZone`), newest first. Releases of other years are ignored, so
 * passing more than the year's releases is harmless.
 */
export function renderArchivePage(
  year: number,
  releases: readonly Release[],
  site: SiteConfig,
): string {
  const lang = site.defaultLang;
  const ui = stringsFor(lang);
  const ofYear = newestFirst(
    releases.filter((release) => localYear(release.published, site.timeZone) === year),
  );
  const heading = ui.archiveTitle(year);
  const main = `<h1>${escapeText(heading)}</h1>
${ofYear.length === 0 ? `<p>${escapeText(ui.noReleases)}</p>` : releaseList(ofYear, site, lang, '../', 2)}
<nav><p><a href="../index.html">${escapeText(ui.frontPage)}</a></p></nav>`;
  return renderPage({
    site,
    lang,
    title: `${heading} – ${site.title}`,
    canonical: `${site.siteUrl}/archive/${year}.html`,
    feeds: [ALL_SCOPE],
    root: '../',
    main,
  });
}
