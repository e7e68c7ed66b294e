/**
 * A fast path past sanitize-html for the raw HTML staff paste most: tidy tables and text
 * formatting, every tag in a small closed set that sanitize-html keeps as it is. For such a
 * fragment sanitize-html only re-serializes what htmlparser2 read, at ~0.15 ms for a 40-tag table
 * (its option maps and closures are rebuilt on every call, and each tag costs a frame); this
 * writes the same string in one scan.
 *
 * It reads HTML the way htmlparser2 (the parser under sanitize-html) does, but only the narrow
 * shapes where that reading is unambiguous: anything else (another tag or attribute, an entity
 * other than a few, a comment, a stray `<`, a close tag that does not close the innermost open
 * element, a tag the parser would close by itself) makes it give up, and the fragment goes
 * through sanitize-html as before. tests/release/sanitize-targeted.test.ts checks on generated
 * fragments and bodies that whenever it answers, sanitize-html answers the same.
 */

/** Elements the fast path writes, with the attributes each may keep (as sanitize.ts allows them). */
const TIDY_TAGS = new Map<string, readonly string[]>([
  ...'table caption thead tbody tfoot tr p br b i u s strong em small sub sup mark ul li blockquote h1 h2 h3 h4 h5 h6'
    .split(' ')
    .map((tag): [string, readonly string[]] => [tag, []]),
  ['th', ['colspan', 'rowspan', 'scope']],
  ['td', ['colspan', 'rowspan']],
]);

/** Void elements among them: written as sanitize-html writes them, `<br />`. */
const VOID = new Set(['br']);

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
/**
 * htmlparser2's `openImpliesClose` (version 12) for the tags above: opening the key while the
 * innermost open element is in its set makes the parser close that element by itself. The fast
 * path gives up there rather than follow.
 */
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...HEADINGS.map((tag): [string, ReadonlySet<string>] => [tag, new Set([...HEADINGS, 'p'])]),
  ...['p', 'blockquote', 'table', 'ul'].map((tag): [string, ReadonlySet<string>] => [
    tag,
    new Set(['p']),
  ]),
]);

/** Deeper than this the fast path gives up (sanitize-html drops elements below its own limit). */
const MAX_TIDY_DEPTH = 32;

// HTML's whitespace in tags, as htmlparser2 reads it (not JavaScript's `\s`, which has more).
const OPEN_TAG =
  /<([A-Za-z][A-Za-z0-9]*)((?:[\t\n\f\r ]+[A-Za-z]+=(?:"[^"&<>]+"|'[^'"&<>]+'|[^\t\n\f\r "'=<>`&/]+))*)[\t\n\f\r ]*(\/?)>/y;
const ATTRIBUTE = /[\t\n\f\r ]+([A-Za-z]+)=(?:"([^"&<>]+)"|'([^'"&<>]+)'|([^\t\n\f\r "'=<>`&/]+))/g;
/** An `&` that is not one of the references below, or a bare `&` before whitespace. */
const OTHER_AMPERSAND = /&(?!amp;|lt;|gt;|quot;|#39;|nbsp;|[\t\n ])/;
const TEXT_CHANGES = /&(?:quot;|#39;|nbsp;|(?=[\t\n ]))|>/g;
const DECODED: Readonly<Record<string, string>> = {
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': '\u00A0',
  '&': '&amp;',
  '>': '&gt;',
};

/**
 * What sanitize-html (with sanitize.ts's options) writes for `html`, when `html` is a tidy
 * fragment of the tags above; `undefined` when it is not, and sanitize-html must decide.
 * Like sanitize-html's output, the result still needs sanitize.ts's XML-illegal character scan.
 */
export function sanitizeTidyHtml(html: string): string | undefined {
  const open: string[] = [];
  // What is rewritten goes to `out`; what needs no change is copied over in one slice later.
  let out = '';
  let copied = 0;
  let at = 0;
  // Where the next `&` is, looked up again only once passed (most tables have none at all).
  let ampersand = html.indexOf('&');
  for (;;) {
    const lt = html.indexOf('<', at);
    const end = lt === -1 ? html.length : lt;
    if (ampersand !== -1 && ampersand < at) ampersand = html.indexOf('&', at);
    if (mayChange(html, at, end, ampersand)) {
      const text = tidyText(html.slice(at, end));
      if (text === undefined) return undefined;
      out += html.slice(copied, at) + text;
      copied = end;
    }
    if (lt === -1) break;
    const tag =
      html.charCodeAt(lt + 1) === 0x2f ? closeTag(html, lt, open) : openTag(html, lt, open);
    if (tag === undefined) return undefined;
    if (tag.html !== undefined) {
      out += html.slice(copied, lt) + tag.html;
      copied = tag.end;
    }
    at = tag.end;
  }
  if (open.length > 0) return undefined;
  return copied === 0 ? html : out + html.slice(copied);
}

/**
 * Whether the text from `start` to `end` has an `&` or `>`, which sanitize-html may rewrite;
 * `ampersand` is where the first `&` at or after `start` is (-1: none).
 */
function mayChange(html: string, start: number, end: number, ampersand: number): boolean {
  if (start === end) return false;
  if (ampersand !== -1 && ampersand < end) return true;
  const greater = html.indexOf('>', start);
  return greater !== -1 && greater < end;
}

/** A tag read: where it ends, and how sanitize-html writes it when that differs from the source. */
interface TagRead {
  html: string | undefined;
  end: number;
}

function closeTag(html: string, at: number, open: string[]): TagRead | undefined {
  // The usual close tag: the innermost element's, as written (lower case), nothing to rewrite.
  const innermost = open[open.length - 1];
  const innermostEnd = at + 2 + (innermost?.length ?? 0);
  if (
    innermost !== undefined &&
    html.startsWith(innermost, at + 2) &&
    html.charCodeAt(innermostEnd) === 0x3e
  ) {
    open.pop();
    return { html: undefined, end: innermostEnd + 1 };
  }
  const nameEnd = endOfName(html, at + 2);
  if (nameEnd === at + 2 || html.charCodeAt(nameEnd) !== 0x3e) return undefined;
  const rawName = html.slice(at + 2, nameEnd);
  const name = rawName.toLowerCase();
  // A void element is never on the stack, so `</br>` (which the parser reads as `<br>`) ends here.
  if (open.pop() !== name) return undefined;
  return { html: name === rawName ? undefined : `</${name}>`, end: nameEnd + 1 };
}

/** Where the tag name starting at `start` ends: ASCII letters and digits (the first a letter). */
function endOfName(html: string, start: number): number {
  let end = start;
  for (let code = html.charCodeAt(end); isNameCode(code, end === start); ) {
    end += 1;
    code = html.charCodeAt(end);
  }
  return end;
}

function isNameCode(code: number, first: boolean): boolean {
  const letter = (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
  return letter || (!first && code >= 0x30 && code <= 0x39);
}

/** An open tag's source, name, attributes and closing slash, by the regex. */
function readOpenTag(html: string, at: number): string[] | undefined {
  OPEN_TAG.lastIndex = at;
  return OPEN_TAG.exec(html) ?? undefined;
}

function openTag(html: string, at: number, open: string[]): TagRead | undefined {
  // A plain `<name>`, most tags in a table, is read without the regex or a rewritten copy.
  const nameEnd = endOfName(html, at + 1);
  if (nameEnd > at + 1 && html.charCodeAt(nameEnd) === 0x3e) {
    const rawName = html.slice(at + 1, nameEnd);
    const name = rawName.toLowerCase();
    if (!enter(name, open)) return undefined;
    const written = VOID.has(name) ? `<${name} />` : name === rawName ? undefined : `<${name}>`;
    return { html: written, end: nameEnd + 1 };
  }
  const match = readOpenTag(html, at);
  if (match === undefined) return undefined;
  const [source = '', rawName = '', rawAttributes = '', slash] = match;
  const name = rawName.toLowerCase();
  const allowed = TIDY_TAGS.get(name);
  if (allowed === undefined) return undefined;
  const isVoid = VOID.has(name);
  // `<b/>` is an open tag to the HTML parser: not worth following.
  if (slash === '/' && !isVoid) return undefined;
  const attributes = rawAttributes === '' ? '' : tidyAttributes(rawAttributes, allowed);
  if (attributes === undefined || !enter(name, open)) return undefined;
  const written = `<${name}${attributes}${isVoid ? ' />' : '>'}`;
  return { html: written === source ? undefined : written, end: at + source.length };
}

/**
 * Follows the opening of a known tag `name` on the stack `open`; `false` (give up) for an unknown
 * tag, one the parser would close the innermost element for, or one nested too deeply.
 */
function enter(name: string, open: string[]): boolean {
  if (!TIDY_TAGS.has(name)) return false;
  const innermost = open[open.length - 1];
  if (innermost !== undefined && IMPLIES_CLOSE.get(name)?.has(innermost)) return false;
  if (VOID.has(name)) return true;
  open.push(name);
  return open.length <= MAX_TIDY_DEPTH;
}

/** The attributes as sanitize-html writes them, or `undefined` for one it would drop or change. */
function tidyAttributes(raw: string, allowed: readonly string[]): string | undefined {
  const seen = new Set<string>();
  let out = '';
  for (const [, rawName = '', double, single, bare] of raw.matchAll(ATTRIBUTE)) {
    const name = rawName.toLowerCase();
    // The parser keeps the first of two same-named attributes: not worth following either.
    if (!allowed.includes(name) || seen.has(name)) return undefined;
    seen.add(name);
    out += ` ${name}="${double ?? single ?? bare}"`;
  }
  return out;
}

/**
 * Text as sanitize-html writes it: the parser decodes references and sanitize-html escapes `&`,
 * `<` and `>` again (not quotes). `undefined` for a reference outside the few handled here.
 */
function tidyText(text: string): string | undefined {
  if (!text.includes('&') && !text.includes('>')) return text;
  if (OTHER_AMPERSAND.test(text)) return undefined;
  return text.replace(TEXT_CHANGES, (found) => DECODED[found] ?? found);
}
