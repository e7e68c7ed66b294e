import en from '../../templates/strings/en.json' with { type: 'json' };
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import sv from '../../templates/strings/sv.json' with { type: 'json' };

/** Every UI string of mail and pages for one language (templates/strings/<lang>.json). */
export type UiStrings = typeof en;

/** Languages that have UI strings. */
export type UiLang = 'fi' | 'sv' | 'en';

const STRINGS: Record<UiLang, UiStrings> = { fi, sv, en };

/** Each language's name for itself, for language pickers. */
export const LANGUAGE_NAMES: Record<UiLang, string> = { fi: 'suomi', sv: 'svenska', en: 'English' };

/** The UI strings of `lang`. */
export function uiStrings(lang: UiLang): UiStrings {
  return STRINGS[lang];
}

/**
 * Replaces `{name}` placeholders in a UI string. Values are inserted as they are: escape the
 * result for the context it is written into.
 */
export function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
