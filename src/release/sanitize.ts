import type { Token } from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { ReleaseFormatError } from './format-error.js';
import { classifyRawHtml } from './html-names.js';
import { MAX_NESTING, renderMarkdown } from './markdown.js';
import type { MediaReferences } from './media-references.js';
import { asSanitizerWrites, splitRawHtml } from './raw-html-segments.js';
import loader from './sanitize-html-loader.cjs';
import { markSceneBreaks } from './scene-breaks.js';
import { sanitizeTidyHtml } from './tidy-html.js';
import {
  ALLOWED_SCHEMES,
  isCanonicalHttpUrl,
  isPage,
  resolveImageUrl,
  resolveUrl,
} from './urls.js';
import { cleanOutputText } from './xml-text.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Tags a release body may contain. */
const ALLOWED_TAGS: readonly string[] = [
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

/** Where a body's URLs lead: its page, and the files beside the release (when collected). */
interface UrlContext {
  base: URL;
  media: MediaReferences | undefined;
}

/** What {@link cleanTokens} found in the tokens. */
interface TokensFound {
  /** Raw HTML, which the sanitizer must see. */
  rawHtml: boolean;
  /** Numeric character references, which may decode to characters the text could not hold. */
  numericReferences: boolean;
  /** Text that may render with `&quot;` (a `"` or any reference), which sanitize-html writes as `"`. */
  quotes: boolean;
}

/**
 * Renders body tokens as safe HTML with absolute URLs, resolved against `pageUrl` (the release's
 * public page); relative references to files beside the release become their public `media/` URLs,
 * recorded in `media`. Scene breaks written as text (`\*\*\*`, `* * *`) become `<hr />`. Link and
 * image URLs are resolved and checked on the tokens; when the Markdown contains raw HTML the
 * rendered HTML then goes through {@link sanitizeReleaseHtml}. Without raw HTML, markdown-it can only
 * emit its own allowlisted tags with escaped text and the checked attributes, so the sanitizer pass
 * (about half of the parsing time) is skipped; a property test checks that it would not change the
 * output.
 */
export function renderReleaseHtml(
  tokens: Token[],
  pageUrl: string,
  media?: MediaReferences,
): string {
  const context: UrlContext = { base: new URL(pageUrl), media };
  const body = markSceneBreaks(tokens);
  const found = cleanTokens(body, context, undefined);
  if (!found.rawHtml) return withoutLostCharacters(renderMarkdown(body), found);
  // Only the runs of blocks with raw HTML go through the sanitizer (most of a body is Markdown):
  // the same result as sanitizing the whole body, which a property test checks. Raw HTML too
  // untidy to split is sanitized with the whole body, as one run.
  const tidy = (html: string) => sanitizeTidyBlock(html, found);
  const segments = splitRawHtml(body, renderMarkdown, tidy) ?? [
    { html: renderMarkdown(body), kind: 'raw' },
  ];
  return segments
    .map(({ html, kind }) =>
      kind === 'sanitized'
        ? html
        : kind === 'raw'
          ? (tidy(html) ?? sanitizeRawRun(html, pageUrl, media))
          : withoutLostCharacters(found.quotes ? asSanitizerWrites(html) : html, found),
    )
    .join('');
}

/**
 * The sanitized HTML of a tidy fragment (tidy-html.ts), or `undefined` when it is not tidy and
 * must go through sanitize-html. A tidy table or bit of formatting in a few common tags is
 * written directly, as sanitize-html would write it; like markdown-it's HTML, it can only hold
 * characters the release text did not when the text has numeric references (the fast path
 * decodes none of them itself).
 */
function sanitizeTidyBlock(html: string, found: TokensFound): string | undefined {
  const tidy = sanitizeTidyHtml(html);
  return tidy === undefined || !found.numericReferences ? tidy : finishHtml(tidy);
}

/**
 * {@link renderReleaseHtml} the plain way: the whole rendered body through the sanitizer when it
 * has raw HTML. Slower; the reference the targeted way is checked against in tests.
 */
export function renderReleaseHtmlWholeBody(
  tokens: Token[],
  pageUrl: string,
  media?: MediaReferences,
): string {
  const body = markSceneBreaks(tokens);
  const { rawHtml } = cleanTokens(body, { base: new URL(pageUrl), media }, undefined);
  const html = renderMarkdown(body);
  return rawHtml ? sanitizeRawRun(html, pageUrl, media) : finishHtml(html);
}

function sanitizeRawRun(html: string, pageUrl: string, media: MediaReferences | undefined): string {
  if (htmlDepth(html) > MAX_HTML_DEPTH) {
    throw new ReleaseFormatError(
      `The HTML in this release is nested too deeply (more than ${MAX_HTML_DEPTH} elements inside each other). Simplify it, or write it in Markdown.`,
    );
  }
  return sanitizeReleaseHtml(html, pageUrl, media);
}

/**
 * markdown-it's HTML from decoded release text (already free of XML-illegal characters, see
 * decodeRelease) gains characters the text did not have in two ways only: numeric character
 * references (`&#0;` becomes U+FFFD, `&#12;` a form feed; no named one decodes to anything
 * illegal) and the percent- or punycode-decoded text of autolinks, which {@link cleanTokens}
 * cleans on the token. So the rendered HTML needs a scan only when the source had a `&#`.
 */
function withoutLostCharacters(html: string, found: TokensFound): string {
  return found.numericReferences ? finishHtml(html) : flat(html);
}

/**
 * markdown-it's renderer appends one piece per token, and V8 keeps such a string as a tree of its
 * pieces (2–3 times the memory of the text) until something reads it whole. A build keeps
 * thousands of releases: a regular expression, which V8 runs only on a flat string and so flattens
 * it in place for, makes it one string now (the scan for lost characters used to do this).
 */
function flat(html: string): string {
  FLATTENS.test(html);
  return html;
}

// Matches at once: the flattening is all it costs.
const FLATTENS = /^/;

/**
 * Notes what a block's source holds that its HTML may change: markdown-it decodes character
 * references in inline text and code fence info (titles are cleaned on their own), and writes a
 * `"` in any text, code included, as `&quot;`.
 */
function noteSource(token: Token, found: TokensFound): void {
  const decoded =
    token.type === 'inline' ? token.content : token.type === 'fence' ? token.info : '';
  const code = token.type === 'fence' || token.type === 'code_block' ? token.content : '';
  if (decoded.includes('&#')) found.numericReferences = true;
  if (decoded.includes('&') || decoded.includes('"') || code.includes('"')) found.quotes = true;
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
 * against `pageUrl`. Links whose URL is not http(s), mailto or tel lose that URL; images whose
 * source is not a usable http(s) address of something other than the page itself are dropped.
 * Relative references to files beside the release become their `media/` URLs, recorded in
 * `media`. The result is safe to embed in pages, feeds and mail.
 */
export function sanitizeReleaseHtml(
  html: string,
  pageUrl: string,
  media?: MediaReferences,
): string {
  const context: UrlContext = { base: new URL(pageUrl), media };
  const absolutize =
    (attribute: 'href' | 'src') => (tagName: string, attribs: sanitizeHtml.Attributes) => ({
      tagName,
      // Rebuilt in the original order, the URL resolved or (when unsafe) left out.
      attribs: Object.fromEntries(
        Object.entries(attribs).flatMap(([name, value]): [string, string][] => {
          if (name !== attribute) return [[name, value]];
          const resolved = resolveReference(value, attribute === 'src' ? 'image' : 'link', context);
          return resolved === undefined ? [] : [[name, resolved]];
        }),
      ),
    });
  return finishHtml(
    loader.sanitizeHtmlModule()(html, {
      ...OPTIONS,
      transformTags: {
        a: absolutize('href'),
        img: (tagName, attribs) => {
          const image = absolutize('src')(tagName, attribs);
          // An image without a description is decorative on purpose, never missing its alt.
          return image.attribs.alt === undefined
            ? { tagName, attribs: { ...image.attribs, alt: '' } }
            : image;
        },
      },
    }),
  );
}

/** What {@link rewriteMediaHtml} changes. */
export interface MediaHtmlChanges {
  /** Image sources whose `<img>` goes. */
  dropImages: ReadonlySet<string>;
  /** Link targets (without fragment) whose `<a>` goes, its text kept. */
  dropLinks: ReadonlySet<string>;
  /** Real pixel sizes of image sources. */
  sizes: ReadonlyMap<string, { width: number; height: number }>;
}

/**
 * Rewrites already-sanitized release HTML: images and links named in `changes` go (a link keeps
 * its text), and images of known size get their real `width` and `height`.
 */
export function rewriteMediaHtml(html: string, changes: MediaHtmlChanges): string {
  const { dropImages, dropLinks, sizes } = changes;
  return finishHtml(
    loader.sanitizeHtmlModule()(html, {
      ...OPTIONS,
      exclusiveFilter: (frame) =>
        frame.tag === 'img' && (!frame.attribs.src || dropImages.has(frame.attribs.src)),
      transformTags: {
        // Not an allowed tag: the sanitizer drops it and keeps its text.
        a: (tagName, attribs) =>
          dropLinks.has((attribs.href ?? '').replace(/#.*$/s, ''))
            ? { tagName: 'dropped-link', attribs: {} }
            : { tagName, attribs },
        img: (tagName, attribs) => {
          const size = sizes.get(attribs.src ?? '');
          return size === undefined
            ? { tagName, attribs }
            : {
                tagName,
                attribs: { ...attribs, width: String(size.width), height: String(size.height) },
              };
        },
      },
    }),
  );
}

/**
 * Resolves and checks link and image URLs and drops unexpected attributes, in place; raw HTML
 * fragments that are no real element's tag (`<kvp>`) become text; the decoded text of autolinks
 * loses XML-illegal characters. Returns whether any raw HTML token or numeric character reference
 * was seen.
 */
function cleanTokens(
  tokens: Token[],
  context: UrlContext,
  line: number | undefined,
  found: TokensFound = { rawHtml: false, numericReferences: false, quotes: false },
): TokensFound {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    // Text, most of the tokens, has nothing to clean (an autolink's is cleaned with its link).
    if (token.type === 'text') continue;
    const at = token.map === null ? line : token.map[0] + 1;
    if (token.type === 'html_inline' && classifyRawHtml(token.content).kind === 'text') {
      token.type = 'text';
    }
    if (token.type === 'html_block' || token.type === 'html_inline') found.rawHtml = true;
    noteSource(token, found);
    if (token.type === 'link_open' && token.markup === 'autolink') {
      cleanAutolinkText(tokens[index + 1]);
    }
    if (token.attrs !== null) cleanAttributes(token, context, at);
    if (token.children !== null) cleanTokens(token.children, context, at, found);
  }
  return found;
}

/**
 * An autolink's text is its URL decoded (`%01` and `xn--` labels included): whatever that gives
 * that XML cannot hold goes, as everywhere else in the body.
 */
function cleanAutolinkText(text: Token | undefined): void {
  if (text?.type === 'text') text.content = cleanOutputText(text.content);
}

function cleanAttributes(token: Token, context: UrlContext, line: number | undefined): void {
  const allowed = TOKEN_ATTRIBUTES[token.type] ?? [];
  const attrs: [string, string][] = [];
  for (const [name, raw] of token.attrs ?? []) {
    if (!allowed.includes(name)) continue;
    const value = String(raw);
    if (name === 'href' || name === 'src') {
      const kind = name === 'src' ? 'image' : 'link';
      const url = resolveReference(value, kind, context, line);
      if (url !== undefined) attrs.push([name, url]);
    } else {
      // A title from a reference definition (`[a]: url "&#1;"`) is decoded outside inline text.
      attrs.push([name, cleanOutputText(value)]);
    }
  }
  if (token.type === 'image' && !attrs.some(([name]) => name === 'src')) {
    // Like the sanitizer: an image without a usable URL is dropped (its alt text stays).
    token.type = 'text';
    token.content = cleanOutputText(collectAlt(token.children ?? []));
    token.children = null;
    token.attrs = null;
    return;
  }
  token.attrs = attrs.length > 0 ? attrs : null;
}

/**
 * The absolute URL a link or image reference leads to: a file beside the release → its `media/`
 * URL; an image → a usable http(s) source; a link → any allowed scheme. `undefined`: leave it out.
 */
function resolveReference(
  value: string,
  kind: 'image' | 'link',
  context: UrlContext,
  line?: number,
): string | undefined {
  const media = context.media?.resolve(value, kind, line);
  if (media !== undefined) return media ?? undefined;
  // Most URLs need no parsing; the HTML they go into is a new string (see isCanonicalHttpUrl).
  if (isCanonicalHttpUrl(value))
    return kind === 'image' && isPage(value, context.base) ? undefined : value;
  return kind === 'image' ? resolveImageUrl(value, context.base) : resolveUrl(value, context.base);
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
