import { escapeText } from '../site/fast-text.js';

/** Writing direction of a language. */
export type TextDirection = 'ltr' | 'rtl';

/** Intl.Locale's text info: a getter in Node 20 (V8 11), a method in newer engines. */
interface LocaleWithTextInfo {
  textInfo?: { direction?: string };
  getTextInfo?: () => { direction?: string };
}

const directions = new Map<string, TextDirection>();

/** `rtl` for languages written right to left (Arabic, Hebrew, Persian, …), else `ltr`. */
export function textDirection(lang: string): TextDirection {
  let direction = directions.get(lang);
  if (direction === undefined) {
    let info: { direction?: string } | undefined;
    try {
      const locale = new Intl.Locale(lang) as unknown as LocaleWithTextInfo;
      info = locale.getTextInfo?.() ?? locale.textInfo;
    } catch {
      info = undefined; // not a well-formed tag: assume left to right
    }
    direction = info?.direction === 'rtl' ? 'rtl' : 'ltr';
    directions.set(lang, direction);
  }
  return direction;
}

/**
 * ` lang="…" dir="…"` for an element whose language differs from its parent's; an empty string
 * when it does not. `dir` is written only when the direction changes too.
 */
export function langAttributes(lang: string, parentLang: string): string {
  if (lang === parentLang) return '';
  const dir = textDirection(lang);
  const attribute = ` lang="${escapeText(lang)}"`;
  return dir === textDirection(parentLang) ? attribute : `${attribute} dir="${dir}"`;
}
