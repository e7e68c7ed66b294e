/** What a release without a stated type is called, per language. */
const DEFAULT_CATEGORY: Record<string, string> = {
  fi: 'Tiedote',
  sv: 'Pressmeddelande',
  en: 'Press release',
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
