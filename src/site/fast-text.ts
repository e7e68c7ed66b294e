import { escapeHtml, stripXmlIllegal } from '../shared/text.js';

// Fast paths for the shared text helpers, which a full build calls hundreds of thousands of times:
// most strings need no change, and one test is much cheaper than a replace. (stripXmlIllegal's
// lone-surrogate lookbehind, run over every page, was the slowest step of a 10,000-release build.)

// Characters that stripXmlIllegal may remove, surrogates included (most are valid emoji pairs).
const MAYBE_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const SPECIAL_OR_MAYBE_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** `stripXmlIllegal(text)`, without the work when there is nothing to strip. */
export function xmlSafe(text: string): string {
  if (!MAYBE_ILLEGAL.test(text)) return text;
  const wellFormed = (text as unknown as WellFormedCheck).isWellFormed();
  return wellFormed && !CONTROL.test(text) ? text : stripXmlIllegal(text);
}

/** Plain text ready for HTML: `escapeHtml(stripXmlIllegal(text))`, fast when nothing changes. */
export function escapeText(text: string): string {
  return SPECIAL_OR_MAYBE_ILLEGAL.test(text) ? escapeHtml(xmlSafe(text)) : text;
}

/** ES2024 `String.prototype.isWellFormed` (Node 20+), not yet in our TypeScript lib. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}
