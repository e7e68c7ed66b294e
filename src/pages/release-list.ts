import type { Release } from '../release/types.js';
import { escapeHtml } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import { formatDateTime, machineDateTime } from './dates.js';
import { langAttributes } from './direction.js';

/** A `<time>` element showing `date` the way readers of `lang` write it, in the site's zone. */
export function timeElement(date: Date, lang: string, site: SiteConfig): string {
  return `<time datetime="${machineDateTime(date)}">${escapeHtml(formatDateTime(date, lang, site.timeZone))}</time>`;
}

/**
 * A list of releases, in the order given: title (a heading of `level`, linking to the release
 * page), date, category and summary. A title and summary in another language than the page carry
 * their own `lang` (and `dir`).
 */
export function releaseList(
  releases: readonly Release[],
  site: SiteConfig,
  pageLang: string,
  root: string,
  level: 2 | 3,
): string {
  const items = releases.map((release) => {
    // Title and summary are in the release's language; date and category in the page's.
    const lang = langAttributes(release.lang, pageLang);
    const summary =
      release.summary === undefined ? '' : `\n<p${lang}>${escapeHtml(release.summary)}</p>`;
    return `<li><article>
<h${level}${lang}><a href="${root}releases/${escapeHtml(release.slug)}.html">${escapeHtml(release.title)}</a></h${level}>
<p class="meta">${timeElement(release.published, pageLang, site)} · ${escapeHtml(release.category)}</p>${summary}
</article></li>`;
  });
  return `<ol class="releases">\n${items.join('\n')}\n</ol>`;
}
