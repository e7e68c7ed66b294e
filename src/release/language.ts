import { slugify } from '../shared/text.js';

/** What a release without a stated type is called, per language. */
const DEFAULT_CATEGORY: Record<string, string> = {
  fi: 'Tiedote',
  sv: 'Pressmeddelande',
  en: 'Press release',
};

/**
 * Release types that only one of the site's languages uses. A file that states no language but
 * has one of these types (the legacy export never states a language) is in that language.
 */
const TYPE_LANGUAGE: Record<string, string> = {
  tiedote: 'fi',
  lehdistotiedote: 'fi',
  mediatiedote: 'fi',
  uutinen: 'fi',
  blogi: 'fi',
  kuulutus: 'fi',
  pressmeddelande: 'sv',
  nyhet: 'sv',
  blogg: 'sv',
  kungorelse: 'sv',
  'press-release': 'en',
  news: 'en',
  blog: 'en',
  announcement: 'en',
  'public-notice': 'en',
};

const LANGUAGE_TAG = /^([a-z]{2,3})(?:[-_](?:[a-z]{2}|\d{3}))?$/i;

/**
 * The primary language subtag of a BCP 47-style tag, lowercased: `fi` → `fi`, `sv-FI` → `sv`,
 * `EN_gb` → `en`. Returns `undefined` for anything else (`finnish`, `f`, `fi-FI-x-y`).
 */
export function primaryLanguage(tag: string): string | undefined {
  const match = LANGUAGE_TAG.exec(tag.trim());
  return match?.[1]?.toLowerCase();
}

/** The category of a release that names no type: `Tiedote`, `Pressmeddelande` or `Press release`. */
export function defaultCategory(lang: string): string {
  return DEFAULT_CATEGORY[lang] ?? 'Press release';
}

/** The language a release type word belongs to (`Pressmeddelande` → `sv`), if it is a known one. */
export function languageOfType(type: string): string | undefined {
  return TYPE_LANGUAGE[slugify(type)];
}

/** Language names staff write instead of a code, in Finnish, Swedish and English. */
const LANGUAGE_NAMES: Record<string, string> = {
  suomi: 'fi',
  suomeksi: 'fi',
  finska: 'fi',
  finnish: 'fi',
  ruotsi: 'sv',
  ruotsiksi: 'sv',
  svenska: 'sv',
  swedish: 'sv',
  englanti: 'en',
  englanniksi: 'en',
  engelska: 'en',
  english: 'en',
};

/** The code of a language written by name (`suomi` → `fi`, `svenska` → `sv`), if known. */
export function languageFromName(name: string): string | undefined {
  return LANGUAGE_NAMES[name.trim().toLowerCase()];
}
