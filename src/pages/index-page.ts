import { ALL_SCOPE, type CategoryScope, type FeedScope, type LangScope } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import { categoryLabel } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { newestFirst } from '../site/order.js';
import { organisationName } from '../site/site-config.js';
import { langAttributes } from './direction.js';
import { feedAnchors, renderPage } from './layout.js';
import { releaseList } from './release-list.js';
import { shareTags } from './share-meta.js';
import { stringsFor, uiLang } from './strings.js';
import { subscribeForm } from './subscribe-form.js';

/** A category by its label in the page's language; a language by its own name. */
function scopeName(scope: CategoryScope | LangScope, lang: string, site: SiteConfig): string {
  return scope.kind === 'lang'
    ? scope.name
    : categoryLabel(scope.categorySlug, uiLang(lang), scope.name, site.categories);
}

/** How many releases the front page lists. */
export const INDEX_LIMIT = 50;

/**
 * The front page, `index.html`, in `site.defaultLang`: the latest {@link INDEX_LIMIT} of
 * `releases` newest first, the subscribe form, links to every scope's feeds and to each year's
 * archive. Depends only on those latest releases, the scopes and the years, so an incremental
 * publisher can rebuild it without the whole archive.
 */
export function renderIndexPage(
  releases: readonly Release[],
  site: SiteConfig,
  scopes: readonly FeedScope[],
  years: readonly number[],
): string {
  const lang = site.defaultLang;
  const ui = stringsFor(lang);
  const latest = newestFirst(releases, INDEX_LIMIT);
  const categories = scopes.filter((scope): scope is CategoryScope => scope.kind === 'category');
  const langs = scopes.filter((scope): scope is LangScope => scope.kind === 'lang');
  const list =
    latest.length === 0
      ? `<p>${escapeText(ui.noReleases)}</p>`
      : releaseList(latest, site, lang, '', 3);
  const scopeItems = (items: readonly (CategoryScope | LangScope)[]) =>
    items
      .map(
        (scope) =>
          `<li><span${scope.kind === 'lang' ? langAttributes(scope.lang, lang) : ''}>${escapeText(scopeName(scope, lang, site))}</span>: ${feedAnchors(scope, site)}</li>`,
      )
      .join('\n');
  const feedSections = [
    `<p>${escapeText(ui.allReleases)}: ${feedAnchors(ALL_SCOPE, site)}</p>`,
    categories.length === 0
      ? ''
      : `<h3>${escapeText(ui.byCategory)}</h3>\n<ul>\n${scopeItems(categories)}\n</ul>`,
    langs.length === 0
      ? ''
      : `<h3>${escapeText(ui.byLanguage)}</h3>\n<ul>\n${scopeItems(langs)}\n</ul>`,
  ].filter((part) => part !== '');
  const archive =
    years.length === 0
      ? ''
      : `<section aria-labelledby="archive">
<h2 id="archive">${escapeText(ui.archive)}</h2>
<ul>
${[...years]
  .sort((a, b) => b - a)
  .map((year) => `<li><a href="archive/${year}.html">${year}</a></li>`)
  .join('\n')}
</ul>
</section>
`;
  const main = `<h1>${escapeText(organisationName(site, lang))}</h1>
<section aria-labelledby="latest">
<h2 id="latest">${escapeText(ui.latestReleases)}</h2>
${list}
</section>
<section aria-labelledby="subscribe">
<h2 id="subscribe">${escapeText(ui.subscribe)}</h2>
${subscribeForm(categories, lang, ui, site)}
</section>
<section aria-labelledby="feeds">
<h2 id="feeds">${escapeText(ui.feeds)}</h2>
${feedSections.join('\n')}
</section>
${archive}`.trimEnd();
  return renderPage({
    site,
    lang,
    title: site.title,
    description: ui.latestReleases,
    canonical: `${site.siteUrl}/`,
    head: `${shareTags(
      {
        title: organisationName(site, lang),
        description: ui.latestReleases,
        url: `${site.siteUrl}/`,
        lang,
      },
      site,
      'website',
    )}\n`,
    feeds: [ALL_SCOPE],
    root: '',
    main,
  });
}
