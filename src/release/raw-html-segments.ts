import type { Token } from 'markdown-it';

/**
 * A run of a body's top-level blocks, rendered: `markdown` (markdown-it's own HTML), `raw` (it
 * holds raw HTML to sanitize) or `sanitized` (raw HTML already sanitized by the `tidy` function
 * given to {@link splitRawHtml}).
 */
export interface BodySegment {
  html: string;
  kind: 'markdown' | 'raw' | 'sanitized';
}

// Elements the HTML parser under sanitize-html never puts on its stack (a subset of its own list,
// so that this scan never thinks an element closed that the parser still holds open).
const VOID = new Set(
  'area base br col embed hr img input link meta param source track wbr'.split(' '),
);
// Elements whose content the parser reads as raw text, or that switch it to foreign (SVG/MathML)
// parsing: after one of them it is not back to plain HTML text at a block's end, so no split.
const CHANGES_PARSER_STATE = new Set(
  'script style title textarea xmp iframe noembed noframes noscript plaintext svg math template'.split(
    ' ',
  ),
);
const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*(\/?)>/y;

/**
 * Splits a body's top-level blocks into runs that can be sanitized on their own: each run of
 * blocks with raw HTML ends where every element its HTML opened is closed again, in order, so the
 * sanitizer's parser is back where it started (no open element, plain text). Sanitizing the raw
 * runs one by one then gives what sanitizing the whole body would; the blocks between them are
 * markdown-it's own HTML. Returns `undefined` when the raw HTML is not that tidy (misnested or
 * unclosed tags, comments, `<script>`, stray `<`): then the whole body is sanitized at once.
 *
 * @param render renders a slice of block tokens, as for the whole body.
 * @param tidy sanitizes a block's HTML on its own, or returns `undefined` when it cannot: a block
 *   it sanitizes starting with nothing open is a run of its own (see tidy-html.ts).
 */
export function splitRawHtml(
  tokens: readonly Token[],
  render: (tokens: Token[]) => string,
  tidy: (html: string) => string | undefined = () => undefined,
): BodySegment[] | undefined {
  const segments: BodySegment[] = [];
  const open: string[] = [];
  let pending = '';
  // Blocks without raw HTML between runs are rendered together, in one call.
  let markdownFrom = 0;
  for (const [start, end] of topLevelBlocks(tokens)) {
    if (pending === '' && !hasRawHtml(tokens, start, end)) continue;
    if (pending === '' && start > markdownFrom) {
      segments.push({ html: render(tokens.slice(markdownFrom, start)), kind: 'markdown' });
    }
    markdownFrom = end;
    const html = render(tokens.slice(start, end));
    const sanitized = pending === '' ? tidy(html) : undefined;
    if (sanitized !== undefined) {
      segments.push({ html: sanitized, kind: 'sanitized' });
      continue;
    }
    if (!followTags(html, open)) return undefined;
    pending += html;
    if (open.length === 0) {
      segments.push({ html: pending, kind: 'raw' });
      pending = '';
    }
  }
  if (pending !== '') segments.push({ html: pending, kind: 'raw' });
  else if (markdownFrom < tokens.length) {
    segments.push({ html: render(tokens.slice(markdownFrom)), kind: 'markdown' });
  }
  return segments;
}

/**
 * markdown-it's HTML as sanitize-html writes it back: a `"` in text is written literally
 * (markdown-it escapes it as `&quot;`); tags, attributes and everything else are the same.
 */
export function asSanitizerWrites(html: string): string {
  if (!html.includes('&quot;')) return html;
  return html.replace(/(^|>)([^<]+)/g, (_, end: string, text: string) =>
    end.concat(text.replaceAll('&quot;', '"')),
  );
}

/** Where each top-level block of `tokens` starts and ends (from its opening to its close). */
function* topLevelBlocks(tokens: readonly Token[]): Generator<[number, number]> {
  let start = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.level === 0 && token.nesting !== 1) {
      yield [start, index + 1];
      start = index + 1;
    }
  }
  if (start < tokens.length) yield [start, tokens.length];
}

function hasRawHtml(tokens: readonly Token[], start = 0, end = tokens.length): boolean {
  for (let index = start; index < end; index++) {
    const token = tokens[index] as Token;
    if (token.type === 'html_block' || token.type === 'html_inline') return true;
    if (token.children !== null && hasRawHtml(token.children)) return true;
  }
  return false;
}

/**
 * Follows the tags of `html` on the stack `open`; `false` when a close tag does not close the
 * innermost open element, or when a `<` is not a plain tag (comment, doctype, broken tag) or a tag
 * changes how the parser reads what follows.
 */
function followTags(html: string, open: string[]): boolean {
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', TAG.lastIndex)) {
    TAG.lastIndex = at;
    const match = TAG.exec(html);
    if (match === null) return false;
    const [, closing, rawName] = match;
    const name = (rawName ?? '').toLowerCase();
    if (CHANGES_PARSER_STATE.has(name)) return false;
    if (closing === '/') {
      if (open.pop() !== name) return false;
    } else if (!VOID.has(name)) {
      open.push(name);
    }
  }
  return true;
}
