/**
 * The languages the site, its UI texts and its mail are written in, and the ones residents can
 * choose: one list, so the catalogue (templates/strings/<lang>.json) and the subscription choices
 * cannot drift apart.
 */
export const LANGS = ['fi', 'sv', 'en'] as const;

/** One of {@link LANGS}. */
export type Lang = (typeof LANGS)[number];

/** Whether `value` is one of {@link LANGS}. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}
