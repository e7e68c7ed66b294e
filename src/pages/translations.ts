import type { Release } from '../release/types.js';
import { escapeText } from '../site/fast-text.js';
import { langAttributes } from './direction.js';
import type { PageAlternate } from './layout.js';
import { inLanguage, stringsFor, uiLang } from './strings.js';

/** The page's language versions for `hreflang` alternates and the header's language switch. */
export function translationAlternates(release: Release): PageAlternate[] {
  return (release.translations ?? []).map(({ lang, url }) => ({ lang, href: url }));
}

/**
 * The visible line under a release's title that offers its other language versions, each link in
 * its own language: `Tämä tiedote muilla kielillä: På svenska · In English`. Empty without any.
 */
export function translationLinks(release: Release): string {
  const translations = release.translations ?? [];
  if (translations.length === 0) return '';
  const ui = stringsFor(release.lang);
  const chrome = langAttributes(uiLang(release.lang), release.lang);
  const links = translations.map(
    ({ lang, url, title }) =>
      `<a href="${escapeText(url)}" hreflang="${escapeText(lang)}" lang="${escapeText(lang)}" title="${escapeText(title)}">${escapeText(inLanguage(lang))}</a>`,
  );
  return `<p class="translations"${chrome}>${escapeText(ui.translations)}: ${links.join(' · ')}</p>\n`;
}
