import { FeedOutputError } from './errors.js';

type XmlFormat = 'atom' | 'rss';

/**
 * Replaces each match of `pattern` with `fill(key, match)`. The pattern must capture the key of a
 * {@link placeholder} as the named group `key` (see `PLACEHOLDER`). Fails unless each of `keys`
 * was replaced exactly once.
 */
export function fillPlaceholders(
  format: XmlFormat,
  xml: string,
  pattern: RegExp,
  keys: readonly string[],
  fill: (key: string, match: RegExpExecArray) => string,
): string {
  const expected = new Set(keys);
  const seen = new Set<string>();
  const global = new RegExp(pattern.source, 'g');
  const parts: string[] = [];
  let from = 0;
  for (let match = global.exec(xml); match !== null; match = global.exec(xml)) {
    const key = match.groups?.key ?? '';
    if (seen.has(key) || !expected.has(key)) {
      throw new FeedOutputError(format, `placeholder "${key}" was unexpected or appeared twice`);
    }
    seen.add(key);
    parts.push(xml.slice(from, match.index), fill(key, match));
    from = match.index + match[0].length;
  }
  if (seen.size !== expected.size) {
    throw new FeedOutputError(format, `expected ${expected.size} placeholders, found ${seen.size}`);
  }
  parts.push(xml.slice(from));
  return parts.join('');
}

/** Fails when a placeholder survived post-processing (it would make the XML ill-formed). */
export function assertNoPlaceholders(format: XmlFormat, xml: string): void {
  if (xml.includes('\u0001')) {
    throw new FeedOutputError(format, 'a placeholder was left unreplaced');
  }
}

/**
 * Replaces the document's root start tag, which must match `rootTag` right after the XML
 * declaration. Anchored to the start, so text inside the content can never be mistaken for it.
 */
export function replaceRootTag(
  format: XmlFormat,
  xml: string,
  rootTag: RegExp,
  replacement: string,
): string {
  const prolog = new RegExp(`^(<\\?xml [^>]*\\?>\\s*)${rootTag.source}`);
  const match = prolog.exec(xml);
  if (match === null) {
    throw new FeedOutputError(format, `the document does not start with ${rootTag}`);
  }
  return `${match[1]}${replacement}${xml.slice(match[0].length)}`;
}
