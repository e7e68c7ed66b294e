import { escapeHtml } from '../shared/text.js';

/** Escapes plain text for an XML text node or a double-quoted attribute value. */
export const escapeXml = escapeHtml;

const RSS_TEXT_ESCAPES: Record<string, string> = { '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;' };

/**
 * Escapes plain text for an RSS element with hexadecimal character references, as the RSS Best
 * Practices Profile asks: readers that treat RSS text as HTML then still show `&` and `<` literally,
 * and the W3C validator does not warn about them.
 */
export function escapeRssText(text: string): string {
  return text.replace(/[&<>]/g, (ch) => RSS_TEXT_ESCAPES[ch] ?? ch);
}

/**
 * Makes HTML safe to put inside a CDATA section: `]]>` would end the section early (the `feed`
 * package's serializer only splits the first one). `]]&gt;` means the same in HTML text and
 * attribute values.
 */
export function cdataSafeHtml(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

/**
 * Prepares plain text for a text node that the `feed` package writes through xml-js. xml-js first
 * turns every `&amp;` back into `&` ("to avoid double escaping") and then escapes `&`, `<`, `>`,
 * so a literal `&amp;` in the text would come out as `&`. Escaping each `&` first makes that
 * round trip exact.
 */
export function forXmlJsText(text: string): string {
  return text.replaceAll('&', '&amp;');
}

/**
 * A marker handed to `feed` in place of a value we write ourselves. It contains U+0001, which
 * `stripXmlIllegal` removes from every input, so no release text can ever look like a marker.
 */
export function placeholder(key: string): string {
  return `\u0001${key}\u0001`;
}

/** Matches a {@link placeholder} inside a regular expression, capturing its key as `key`. */
export const PLACEHOLDER = '\\u0001(?<key>[a-z0-9]+)\\u0001';
