import { languageName } from '../feeds/scopes.js';
import { isUiLang, type UiLang, uiStrings } from '../shared/strings.js';

/**
 * The public site's texts in one language: the `page` section of templates/strings/<lang>.json,
 * with the language they are in.
 */
export type PageStrings = ReturnType<typeof uiStrings>['page'] & { readonly lang: UiLang };

const PAGE_STRINGS: Readonly<Record<UiLang, PageStrings>> = {
  fi: { ...uiStrings('fi').page, lang: 'fi' },
  sv: { ...uiStrings('sv').page, lang: 'sv' },
  en: { ...uiStrings('en').page, lang: 'en' },
};

/**
 * A link text to a version in `lang`, written in that language: `Suomeksi`, `På svenska`,
 * `In English`; other languages by their own name (`العربية`).
 */
export function inLanguage(lang: string): string {
  return isUiLang(lang) ? PAGE_STRINGS[lang].inThisLanguage : languageName(lang);
}

/** The UI language for content in `lang`: itself when we have texts for it, else English. */
export function uiLang(lang: string): UiLang {
  return isUiLang(lang) ? lang : 'en';
}

/** The site's texts for content in `lang` (see {@link uiLang}). */
export function stringsFor(lang: string): PageStrings {
  return PAGE_STRINGS[uiLang(lang)];
}
