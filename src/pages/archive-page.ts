import { ALL_SCOPE } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import { interpolate } from '../shared/strings.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { newestFirst } from '../site/order.js';
import { localDateTime } from './dates.js';
import { renderPage } from './layout.js';
import { releaseList } from './release-list.js';
import { stringsFor, uiLang } from './strings.js';

/** A calendar month as the archive names it: `YYYY-MM`. */
export type ArchiveMonth = string;

/** The month (`YYYY-MM`) of an instant in `timeZone`. */
export function localMonth(date: Date, timeZone: string): ArchiveMonth {
  const { year, month } = localDateTime(date, timeZone);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** "tammikuu 2025", "januari 2025", "January 2025": the month's name in `lang`. */
export function monthName(month: ArchiveMonth, lang: string): string {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const name = monthFormat(uiLang(lang)).format(new Date(Date.UTC(year, mm - 1, 15)));
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// Making a formatter costs far more than using one, and every archive feed page names its month.
const monthFormats = new Map<string, Intl.DateTimeFormat>();

function monthFormat(lang: string): Intl.DateTimeFormat {
  let format = monthFormats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(lang, format);
  }
  return format;
}

/**
 * The archive page of one year, `archive/<year>.html`, in `site.defaultLang`: links to the pages
 * of its months that have releases (`months`, any order; other years' months are ignored), newest
 * first. It stays small however busy the year, and its address stays what it always was.
 */
export function renderArchivePage(
  year: number,
  months: readonly ArchiveMonth[],
  site: SiteConfig,
): string {
  const lang = site.defaultLang;
  const ui = stringsFor(lang);
  const ofYear = [...new Set(months.filter((month) => month.startsWith(`${year}-`)))]
    .sort()
    .reverse();
  const heading = interpolate(ui.archiveTitle, { year: String(year) });
  const links = ofYear
    .map(
      (month) =>
        `<li><a href="${month.replace('-', '/')}.html">${escapeText(monthName(month, lang))}</a></li>`,
    )
    .join('\n');
  const main = `<h1>${escapeText(heading)}</h1>
${ofYear.length === 0 ? `<p>${escapeText(ui.noReleases)}</p>` : `<ul>\n${links}\n</ul>`}
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

/**
 * The archive page of one month, `archive/<year>/<mm>.html`: every release published that month
 * (in `site.timeZone`), newest first. Releases of other months are ignored, so passing more than
 * the month's releases is harmless.
 */
export function renderMonthArchivePage(
  month: ArchiveMonth,
  releases: readonly Release[],
  site: SiteConfig,
): string {
  const lang = site.defaultLang;
  const ui = stringsFor(lang);
  const year = month.slice(0, 4);
  const ofMonth = newestFirst(
    releases.filter((release) => localMonth(release.published, site.timeZone) === month),
  );
  const heading = monthName(month, lang);
  const main = `<h1>${escapeText(heading)}</h1>
${ofMonth.length === 0 ? `<p>${escapeText(ui.noReleases)}</p>` : releaseList(ofMonth, site, lang, '../../', 2)}
<nav><p><a href="../${year}.html">${escapeText(interpolate(ui.archiveTitle, { year: String(Number(year)) }))}</a> · <a href="../../index.html">${escapeText(ui.frontPage)}</a></p></nav>`;
  return renderPage({
    site,
    lang,
    title: `${heading} – ${site.title}`,
    canonical: `${site.siteUrl}/archive/${month.replace('-', '/')}.html`,
    feeds: [ALL_SCOPE],
    root: '../../',
    main,
  });
}
