import type { Release } from '../release/types.js';
import { categoryLabel } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { formatDateTime, machineDateTime } from './dates.js';
import { langAttributes } from './direction.js';
import { uiLang } from './strings.js';

// A release's date appears on its page and in its archive list, usually in the same language.
const timeElements = new Map<string, string>();

/** A `<time>` element showing `date` the way readers of `lang` write it, in the site's zone. */
export function timeElement(date: Date, lang: string, site: SiteConfig): string {
  const key = `${date.getTime()} ${lang} ${site.timeZone}`;
  let element = timeElements.get(key);
  if (element === undefined) {
    element = `<time datetime="${machineDateTime(date)}">${escapeText(formatDateTime(date, lang, site.timeZone))}</time>`;
    if (timeElements.size >= 50_000) timeElements.clear();
    timeElements.set(key, element);
  }
  return element;
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
      release.summary === undefined ? '' : `\n<p${lang}>${escapeText(release.summary)}</p>`;
    return `<li><article>
<h${level}${lang}><a href="${root}releases/${escapeText(release.slug)}.html">${escapeText(release.title)}</a></h${level}>
<p class="meta">${timeElement(release.published, pageLang, site)} · ${escapeText(categoryLabel(release.categorySlug, uiLang(pageLang), release.category, site.categories))}</p>${summary}
</article></li>`;
  });
  return `<ol class="releases">\n${items.join('\n')}\n</ol>`;
}
