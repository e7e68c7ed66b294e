import { stripXmlIllegal } from '../shared/text.js';

// A cheap test first: nearly all text has none of these, and stripping costs more than looking.
const MAYBE_XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** {@link stripXmlIllegal}, skipping the work for text that has nothing to strip. */
export function withoutXmlIllegal(text: string): string {
  return MAYBE_XML_ILLEGAL.test(text) ? stripXmlIllegal(text) : text;
}

/**
 * Text safe for XML output and free of U+FFFD, which only ever stands for a character lost in a
 * conversion (markdown-it also produces it for entities such as `&#0;`).
 */
export function cleanOutputText(text: string): string {
  const legal = withoutXmlIllegal(text);
  return legal.includes('\uFFFD') ? legal.replace(/\uFFFD/g, '') : legal;
}
