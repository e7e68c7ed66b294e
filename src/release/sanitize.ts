import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { stripXmlIllegal } from '../shared/text.js';
import { MAX_NESTING, renderMarkdown } from './markdown.js';
import { ALLOWED_SCHEMES, resolveUrl } from './urls.js';

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
  return rawHtml ? sanitizeReleaseHtml(html, pageUrl) : finishHtml(html);
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
    (attribute: 'href' | 'src') => (tagName: string, attribs: sanitizeHtml.Attributes) => {
      const value = attribs[attribute];
      if (value === undefined) return { tagName, attribs };
      const { [attribute]: _unsafe, ...rest } = attribs;
      const resolved = resolveUrl(value, base);
      return {
        tagName,
        attribs: resolved === undefined ? rest : { ...rest, [attribute]: resolved },
      };
    };
  return finishHtml(
    sanitizeHtml(html, {
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
  return children.map((child) => (child.type === 'image' ? collectAlt(child.children ?? []) : child.content)).join('');
}

function finishHtml(html: string): string {
  // Entities such as `&#1;` or `&#0;` decode to control characters or U+FFFD: neither belongs.
  return stripXmlIllegal(html).replace(/\uFFFD/g, '');
}
