/**
 * The one catalogue of UI texts: templates/strings/<lang>.json, one file per language, with the
 * public site's texts under `page`, the subscription pages' under `subscription`, the
 * confirmation mail's under `mail`, the digest's under `digest` and the staff notices' under
 * `staff`. Texts take values through `{name}` placeholders ({@link interpolate}).
 */
import en from '../../templates/strings/en.json' with { type: 'json' };
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import sv from '../../templates/strings/sv.json' with { type: 'json' };

import { isLang, LANGS, type Lang } from './languages.js';

/** Languages the UI texts are written in: the site's languages (src/shared/languages.ts). */
export const UI_LANGS = LANGS;

/** One of {@link UI_LANGS}. */
export type UiLang = Lang;

/**
 * Every UI text of one language. The Finnish file defines the shape, so a key missing from the
 * Swedish or English file fails to compile (tests/shared/strings.test.ts also catches extra keys,
 * empty texts and placeholders used in one language only).
 */
export type UiStrings = typeof fi;

const STRINGS: Readonly<Record<UiLang, UiStrings>> = { fi, sv, en };

/** Each language's name for itself, for language pickers. */
export const LANGUAGE_NAMES: Readonly<Record<UiLang, string>> = {
  fi: 'suomi',
  sv: 'svenska',
  en: 'English',
};

/** The UI texts of `lang`. */
export function uiStrings(lang: UiLang): UiStrings {
  return STRINGS[lang];
}

/** Whether `lang` is one of {@link UI_LANGS}. */
export function isUiLang(lang: string): lang is UiLang {
  return isLang(lang);
}

/** A `{name}` placeholder in a UI text. */
const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/**
 * Replaces `{name}` placeholders in a UI text, in one pass (a value that contains `{name}` stays
 * as it is); a placeholder without a value stays too. Values are inserted as they are: escape the
 * result for the context it is written into.
 */
export function interpolate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? (values[name] as string) : whole,
  );
}
