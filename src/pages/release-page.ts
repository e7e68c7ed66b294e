import { type FeedScope, scopesOfRelease } from '../feeds/scopes.js';
import { mediaAt } from '../media/published.js';
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
  // A summary taken from the first paragraph is already in the body: shown once, there.
  const summary =
    release.summary === undefined || release.summaryInBody
      ? ''
      : `<p class="summary">${escapeText(release.summary)}</p>\n`;
  const image =
    release.image === undefined ? '' : `<figure>${leadImageTag(release, release.image)}</figure>\n`;
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

/**
 * The lead image: its alt text from `image_alt`, else an empty alt on purpose (decorative, rather
 * than a screen reader reading out the file name), and its real size when it is a published file.
 */
function leadImageTag(release: Release, url: string): string {
  const size = mediaAt(release, url)?.file;
  const dimensions =
    size?.width === undefined || size.height === undefined
      ? ''
      : ` width="${size.width}" height="${size.height}"`;
  return `<img src="${escapeText(url)}" alt="${escapeText(release.imageAlt ?? '')}"${dimensions}>`;
}
