import { createHash } from 'node:crypto';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const HTML_SPECIAL = /[&<>"']/;

/** Escapes plain text for HTML and XML text or attribute values. */
export function escapeHtml(text: string): string {
  // Most strings need no escaping; one test is far cheaper than a replace on a hot path.
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch) : text;
}

// XML 1.0 allows TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and astral planes. Everything else
// (C0 controls, lone surrogates, U+FFFE/U+FFFF) makes the whole document ill-formed. C1 controls
// (U+0080–U+009F) are legal but are always mojibake in practice, so they go too.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Characters that may need stripping, surrogates included (most are valid pairs, i.e. emoji).
const MAYBE_XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Removes characters that are illegal (or never intended) in XML 1.0 documents. */
export function stripXmlIllegal(text: string): string {
  // The lone-surrogate lookbehind is slow over whole pages; nearly all text has nothing to strip.
  return MAYBE_XML_ILLEGAL.test(text) ? text.replace(XML_ILLEGAL, '') : text;
}

const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
};

/**
 * Turns any text into a lowercase ASCII URL segment: `Kevät 2021` → `kevat-2021`.
 * Returns an empty string when nothing usable is left (callers choose a fallback).
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæøœđðþł]/g, (ch) => TRANSLITERATIONS[ch] ?? '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) as a URN: the same name always gives the same id,
 * which is what feed readers need to never show an item twice.
 */
export function nameBasedUrn(name: string): string {
  const hash = createHash('sha1').update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A short, stable hex digest of `text`, for disambiguating names. */
export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}
