import { type CategoryScope, languageName } from '../feeds/scopes.js';
import { UI_LANGS } from '../shared/strings.js';
import { categoryLabel } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { escapeText } from '../site/fast-text.js';
import { brandingOf, localized } from '../site/site-config.js';
import { type PageStrings, uiLang } from './strings.js';

const FREQUENCIES = ['immediate', 'daily', 'weekly'] as const;

/**
 * The subscribe form, working without JavaScript: `POST /api/subscribe` with `email`, `lang`
 * (defaulting to the page's language), `categories` (one checkbox per category; none = all),
 * `frequency` (daily by default) and the honeypot `website`, which people never see or reach.
 */
export function subscribeForm(
  categories: readonly CategoryScope[],
  pageLang: string,
  ui: PageStrings,
  site?: SiteConfig,
): string {
  const privacyUrl =
    site === undefined
      ? undefined
      : localized(brandingOf(site).privacyUrl, uiLang(pageLang), site.defaultLang);
  const privacy =
    privacyUrl === undefined
      ? ''
      : `<p class="privacy"><a href="${escapeText(privacyUrl)}">${escapeText(ui.privacyNotice)}</a></p>\n`;
  const selected = uiLang(pageLang);
  const langOptions = UI_LANGS.map(
    (lang) =>
      `<option value="${lang}"${lang === selected ? ' selected' : ''} lang="${lang}">${escapeText(languageName(lang))}</option>`,
  ).join('');
  const categoryBoxes =
    categories.length === 0
      ? ''
      : `<fieldset aria-describedby="subscribe-categories-hint">
<legend>${escapeText(ui.categories)}</legend>
<p id="subscribe-categories-hint">${escapeText(ui.categoriesHint)}</p>
${categories
  .map(
    (scope) =>
      `<label class="choice"><input type="checkbox" name="categories" value="${escapeText(scope.categorySlug)}"> ${escapeText(categoryLabel(scope.categorySlug, selected, scope.name, site?.categories))}</label>`,
  )
  .join('\n')}
</fieldset>
`;
  const frequencyRadios = FREQUENCIES.map(
    (frequency) =>
      `<label class="choice"><input type="radio" name="frequency" value="${frequency}"${frequency === 'daily' ? ' checked' : ''}> ${escapeText(ui[frequency])}</label>`,
  ).join('\n');
  return `<form method="post" action="/api/subscribe">
<p><label for="subscribe-email">${escapeText(ui.email)}</label><br>
<input id="subscribe-email" name="email" type="email" required autocomplete="email" spellcheck="false"></p>
<p><label for="subscribe-lang">${escapeText(ui.language)}</label><br>
<select id="subscribe-lang" name="lang">${langOptions}</select></p>
${categoryBoxes}<fieldset>
<legend>${escapeText(ui.frequency)}</legend>
${frequencyRadios}
</fieldset>
<div class="visually-hidden" aria-hidden="true">
<label for="subscribe-website">${escapeText(ui.honeypot)}</label>
<input id="subscribe-website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
${privacy}<p><button type="submit">${escapeText(ui.submit)}</button></p>
</form>`;
}
