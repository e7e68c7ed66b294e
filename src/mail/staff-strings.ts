import en from '../../templates/strings/staff/en.json' with { type: 'json' };
import fi from '../../templates/strings/staff/fi.json' with { type: 'json' };
import sv from '../../templates/strings/staff/sv.json' with { type: 'json' };
import type { UiLang } from './strings.js';

/** Every string of the mail staff get about their uploads (templates/strings/staff/<lang>.json). */
export type StaffStrings = typeof fi;

const STRINGS: Record<UiLang, StaffStrings> = { fi, sv, en };

/** The staff strings of `lang` (`STAFF_LANG`). */
export function staffStrings(lang: UiLang): StaffStrings {
  return STRINGS[lang];
}
