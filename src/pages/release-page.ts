import { type FeedScope, scopesOfRelease } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText, xmlSafe } from '../site/fast-text.js';
import { langAttributes } from './direction.js';
import { renderPage } from './layout.js';
import { timeElement } from './release-list.js';
import { releaseShareMeta } from './share-meta.js';
import { stringsFor, uiLang } from './strings.js';
import { translationAlternates, translationLinks } from './translations.js';

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
    release.kicker === undefined ? '' : `<p class="kicker">${escapeText(release.kicker)}</p>\n`;
  const facts = [
    `<dt>${escapeText(ui.published)}</dt>\n<dd>${timeElement(release.published, release.lang, site)}</dd>`,
  ];
  if (release.updated !== undefined && release.updated.getTime() !== release.published.getTime()) {
    facts.push(
      `<dt>${escapeText(ui.updated)}</dt>\n<dd>${timeElement(release.updated, release.lang, site)}</dd>`,
    );
  }
  facts.push(`<dt>${escapeText(ui.category)}</dt>\n<dd>${escapeText(release.category)}</dd>`);
  if (release.author !== undefined) {
    facts.push(`<dt>${escapeText(ui.author)}</dt>\n<dd>${escapeText(release.author)}</dd>`);
  }
  const summary =
    release.summary === undefined ? '' : `<p class="summary">${escapeText(release.summary)}</p>\n`;
  // Release has no image description; an empty alt marks the lead image as decorative rather
  // than having screen readers announce the file name.
  const image =
    release.image === undefined
      ? ''
      : `<figure><img src="${escapeText(release.image)}" alt=""></figure>\n`;
  const main = `<article>
<header>
${kicker}<h1>${escapeText(release.title)}</h1>
<dl class="meta"${chrome}>
${facts.join('\n')}
</dl>
</header>
${translationLinks(release)}${summary}${image}<div class="content">
${xmlSafe(release.contentHtml)}
</div>
</article>
<nav${chrome}><p><a href="../index.html">${escapeText(ui.frontPage)}</a></p></nav>`;
  return renderPage({
    site,
    lang: release.lang,
    title: `${release.title} – ${site.title}`,
    ...(release.summary === undefined ? {} : { description: release.summary }),
    canonical: release.url,
    head: releaseShareMeta(
      release,
      site,
      (release.translations ?? []).map((translation) => translation.lang),
    ),
    alternates: translationAlternates(release),
    feeds: context.feeds,
    root: '../',
    main,
  });
}
