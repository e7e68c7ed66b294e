import type { Token } from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { ReleaseFormatError } from './format-error.js';
import { MAX_NESTING, renderMarkdown } from './markdown.js';
import loader from './sanitize-html-loader.cjs';
import { ALLOWED_SCHEMES, resolveUrl } from './urls.js';
import { cleanOutputText } from './xml-text.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Tags a release body may contain. */
export const ALLOWED_TAGS: readonly string[] = [
  ...HEADINGS,
  'p',
  'br',
  'hr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'mark',
  'small',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'abbr',
  'cite',
  'q',
  'details',
  'summary',
];

// Built once; sanitize-html only reads them.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: {
    ...Object.fromEntries(HEADINGS.map((tag) => [tag, ['id']])),
    a: ['href', 'title', 'id'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    ol: ['start'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    abbr: ['title'],
    code: ['class'],
    details: ['open'],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nestingLimit: MAX_NESTING,
  parseStyleAttributes: false,
  // An image whose URL was unsafe or unreadable is nothing but a broken image: drop it.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/**
 * Attributes markdown-it's own (non-HTML) tokens may keep. Anything else it sets, e.g. the
 * `style="text-align:…"` on table cells, goes; fenced code gets its `language-…` class from the
 * renderer, not from attributes.
 */
const TOKEN_ATTRIBUTES: Record<string, readonly string[]> = {
  link_open: ['href', 'title'],
  image: ['src', 'alt', 'title'],
  ordered_list_open: ['start'],
};

/**
 * Deepest nesting of raw HTML elements accepted. The HTML parser under sanitize-html spends time
 * growing with the square of the depth (200,000 unclosed `<b>` take minutes); real releases stay
 * far below this.
 */
export const MAX_HTML_DEPTH = 500;

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>/g;
/** Elements that never hold others, or that the parser closes by itself when the next one opens. */
const NOT_NESTING = new Set(
  'area base br col embed hr img input link meta param source track wbr p li dt dd td th tr option optgroup'.split(
    ' ',
  ),
);

/**
 * Renders body tokens as safe HTML with absolute URLs, resolved against `pageUrl` (the release's
 * public page). Link and image URLs are resolved and checked on the tokens; when the Markdown
 * contains raw HTML the rendered HTML then goes through {@link sanitizeReleaseHtml}. Without raw
 * HTML, markdown-it can only emit its own allowlisted tags with escaped text and the checked
 * attributes, so the sanitizer pass (about half of the parsing time) is skipped; a
 * property test checks that it would not change the output.
 */
export function renderReleaseHtml(tokens: Token[], pageUrl: string): string {
  const base = new URL(pageUrl);
  const rawHtml = cleanTokens(tokens, base);
  const html = renderMarkdown(tokens);
  if (!rawHtml) return finishHtml(html);
  if (htmlDepth(html) > MAX_HTML_DEPTH) {
    throw new ReleaseFormatError(
      `The HTML in this release is nested too deeply (more than ${MAX_HTML_DEPTH} elements inside each other). Simplify it, or write it in Markdown.`,
    );
  }
  return sanitizeReleaseHtml(html, pageUrl);
}

/** How deeply elements nest, counting tags that can hold others (a cheap estimate, on the deep side). */
function htmlDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [tag, closing, name] of html.matchAll(TAG)) {
    if (NOT_NESTING.has((name ?? '').toLowerCase()) || tag.endsWith('/>')) continue;
    depth = closing === '/' ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/**
 * Sanitizes release HTML with an allowlist (no scripts, styles, frames, forms, SVG, MathML,
 * event handlers or style attributes) and makes every link and image URL absolute, resolved
 * against `pageUrl`. Links and images whose URL is not http(s), mailto or tel lose that URL.
 * The result is safe to embed in pages, feeds and mail.
 */
export function sanitizeReleaseHtml(html: string, pageUrl: string): string {
  const base = new URL(pageUrl);
  const absolutize =
    (attribute: 'href' | 'src') => (tagName: string, attribs: sanitizeHtml.Attributes) => ({
      tagName,
      // Rebuilt in the original order, the URL resolved or (when unsafe) left out.
      attribs: Object.fromEntries(
        Object.entries(attribs).flatMap(([name, value]): [string, string][] => {
          if (name !== attribute) return [[name, value]];
          const resolved = resolveUrl(value, base);
          return resolved === undefined ? [] : [[name, resolved]];
        }),
      ),
    });
  return finishHtml(
    loader.sanitizeHtmlModule()(html, {
      ...OPTIONS,
      transformTags: { a: absolutize('href'), img: absolutize('src') },
    }),
  );
}

/**
 * Resolves and checks link and image URLs and drops unexpected attributes, in place.
 * Returns whether any raw HTML token was seen.
 */
function cleanTokens(tokens: Token[], base: URL): boolean {
  let rawHtml = false;
  for (const token of tokens) {
    if (token.type === 'html_block' || token.type === 'html_inline') rawHtml = true;
    if (token.attrs !== null) cleanAttributes(token, base);
    if (token.children !== null && cleanTokens(token.children, base)) rawHtml = true;
  }
  return rawHtml;
}

function cleanAttributes(token: Token, base: URL): void {
  const allowed = TOKEN_ATTRIBUTES[token.type] ?? [];
  const attrs: [string, string][] = [];
  for (const [name, raw] of token.attrs ?? []) {
    if (!allowed.includes(name)) continue;
    const value = String(raw);
    if (name === 'href' || name === 'src') {
      const url = resolveUrl(value, base);
      if (url !== undefined) attrs.push([name, url]);
    } else {
      attrs.push([name, value]);
    }
  }
  if (token.type === 'image' && !attrs.some(([name]) => name === 'src')) {
    // Like the sanitizer: an image without a usable URL is dropped (its alt text stays).
    token.type = 'text';
    token.content = collectAlt(token.children ?? []);
    token.children = null;
    token.attrs = null;
    return;
  }
  token.attrs = attrs.length > 0 ? attrs : null;
}

function collectAlt(children: readonly Token[]): string {
  return children
    .map((child) => (child.type === 'image' ? collectAlt(child.children ?? []) : child.content))
    .join('');
}

function finishHtml(html: string): string {
  // Entities such as `&#1;` or `&#0;` decode to control characters or U+FFFD: neither belongs.
  return cleanOutputText(html);
}
