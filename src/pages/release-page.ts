import { type FeedScope, scopesOfRelease } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import { escapeHtml } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import { langAttributes } from './direction.js';
import { renderPage } from './layout.js';
import { timeElement } from './release-list.js';
import { stringsFor, uiLang } from './strings.js';

/** What a release page needs besides the release and the site. */
export interface ReleasePageContext {
  /**
   * Feeds announced for autodiscovery: by default the site-wide feeds and those of the release's
   * category and language ({@link scopesOfRelease}).
   */
  feeds: readonly FeedScope[];
}

/**
 * The page of one release, `releases/<slug>.html`: kicker, title, dates, category, author,
 * summary, lead image and content. Depends on nothing but its arguments.
 */
export function renderReleasePage(
  release: Release,
  site: SiteConfig,
  context: ReleasePageContext = { feeds: scopesOfRelease(release) },
): string {
  const ui = stringsFor(release.lang);
  const chrome = langAttributes(uiLang(release.lang), release.lang);
  const kicker =
    release.kicker === undefined ? '' : `<p class="kicker">${escapeHtml(release.kicker)}</p>\n`;
  const facts = [
    `<dt>${escapeHtml(ui.published)}</dt><dd>${timeElement(release.published, release.lang, site)}</dd>`,
  ];
  if (release.updated !== undefined && release.updated.getTime() !== release.published.getTime()) {
    facts.push(
      `<dt>${escapeHtml(ui.updated)}</dt><dd>${timeElement(release.updated, release.lang, site)}</dd>`,
    );
  }
  facts.push(`<dt>${escapeHtml(ui.category)}</dt><dd>${escapeHtml(release.category)}</dd>`);
  if (release.author !== undefined) {
    facts.push(`<dt>${escapeHtml(ui.author)}</dt><dd>${escapeHtml(release.author)}</dd>`);
  }
  const summary =
    release.summary === undefined ? '' : `<p class="summary">${escapeHtml(release.summary)}</p>\n`;
  // Release has no image description; an empty alt marks the lead image as decorative rather
  // than having screen readers announce the file name.
  const image =
    release.image === undefined
      ? ''
      : `<figure><img src="${escapeHtml(release.image)}" alt=""></figure>\n`;
  const main = `<article>
<header>
${kicker}<h1>${escapeHtml(release.title)}</h1>
<dl class="meta"${chrome}>${facts.join('')}</dl>
</header>
${summary}${image}<div class="content">
${release.contentHtml}
</div>
</article>
<nav${chrome}><p><a href="../index.html">${escapeHtml(ui.frontPage)}</a></p></nav>`;
  return renderPage({
    site,
    lang: release.lang,
    title: `${release.title} – ${site.title}`,
    ...(release.summary === undefined ? {} : { description: release.summary }),
    canonical: release.url,
    feeds: context.feeds,
    root: '../',
    main,
  });
}
