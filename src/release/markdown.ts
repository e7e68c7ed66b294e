import MarkdownItParser, { type MarkdownIt, type Options, type Token } from 'markdown-it';
import { ReleaseFormatError } from './format-error.js';

/** Deepest block nesting (quotes inside lists inside quotes…) a release may use. */
export const MAX_NESTING = 50;

// One instance for the whole process, built on first use: building the parser and its rule
// chains is the slow part, and a cold start need not pay for it.
let instance: MarkdownIt | undefined;

// `maxNesting` is one of markdown-it's preset options, which its typings leave out.
const OPTIONS: Options & { maxNesting: number } = {
  html: true,
  linkify: false,
  typographer: false,
  // `<br />`, `<hr />`, `<img … />`: the same serialization sanitize-html produces.
  xhtmlOut: true,
  maxNesting: MAX_NESTING,
};

function markdownIt(): MarkdownIt {
  instance ??= withPlainUrlFastPath(new MarkdownItParser(OPTIONS));
  return instance;
}

/**
 * An http(s) URL with a plain ASCII host name and no port or user, or a relative reference
 * without a colon, either with only printable ASCII and Latin letters (`/kesä`) after that: for
 * these markdown-it's URL normalization (parse, punycode the host, format, percent-encode) comes
 * down to the percent-encoding alone, at a fraction of the cost (a link costs more to normalize
 * than its paragraph to parse). A property test checks they agree.
 */
const PLAIN_URL =
  /^(?:https?:\/\/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?:[/?#][\x21-\x7E\u00C0-\u024F]*)?|[A-Za-z0-9._~-][\x21-\x39\x3B-\x7E\u00C0-\u024F]*)$/;

/**
 * What mdurl's `encode` leaves as it is: letters, digits, `;/?:@&=+$,-_.!~*'()#` and `%` escapes;
 * most URLs are written that way already, and its loop over each character can be skipped.
 */
const ENCODED = /^(?:[\w;/?:@&=+$,.!~*'()#-]|%[\dA-Fa-f]{2})*$/;

function withPlainUrlFastPath(md: MarkdownIt): MarkdownIt {
  const { normalizeLink, normalizeLinkText } = md;
  const { encode } = md.utils.lib.mdurl;
  md.normalizeLink = (url) =>
    PLAIN_URL.test(url) ? (ENCODED.test(url) ? url : encode(url)) : normalizeLink(url);
  // Link text is decoded instead: nothing to do without `%` escapes or punycode (`xn--`) labels.
  md.normalizeLinkText = (url) =>
    PLAIN_URL.test(url) && !url.includes('%') && !/xn--/i.test(url) ? url : normalizeLinkText(url);
  return md;
}

/**
 * Parses a Markdown body into markdown-it block tokens (inline children included). `lineOffset`
 * is the number of file lines before the body, so token lines can be reported as file lines.
 *
 * @throws {ReleaseFormatError} when blocks are nested deeper than {@link MAX_NESTING}: markdown-it
 *   would silently drop everything below that depth.
 */
export function parseMarkdown(body: string, lineOffset: number): Token[] {
  const tokens = markdownIt().parse(body, {});
  for (const token of tokens) {
    if (token.nesting === 1 && token.level >= MAX_NESTING - 1) {
      const line = token.map === null ? undefined : token.map[0] + lineOffset + 1;
      throw new ReleaseFormatError(
        `The text is nested too deeply here (more than ${MAX_NESTING - 1} levels of quotes or lists inside each other). Simplify the structure.`,
        line === undefined ? {} : { line },
      );
    }
  }
  return tokens;
}

/** Parses one line of Markdown as inline content (emphasis, links, code, entities, raw HTML). */
export function parseInline(text: string): Token[] {
  return markdownIt().parseInline(text, {})[0]?.children ?? [];
}

/** Renders block tokens (from {@link parseMarkdown}, possibly with whole blocks left out) as HTML. */
export function renderMarkdown(tokens: Token[]): string {
  const md = markdownIt();
  return md.renderer.render(tokens, md.options, {});
}
