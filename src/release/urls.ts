/** URL schemes a link or image may use; everything else (javascript:, data:, …) is dropped. */
export const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

const ALLOWED_PROTOCOLS = new Set<string>(ALLOWED_SCHEMES.map((scheme) => `${scheme}:`));

/**
 * An absolute http(s) URL written as WHATWG URL parsing writes it back: a lower-case ASCII host name
 * (no IP address, punycode label, port or user), a path, and only characters the parser leaves as
 * they are. Most links and images in releases look like this, and parsing one costs more than its
 * paragraph (tests/release/markdown-urls.test.ts checks that the parser gives them back unchanged).
 */
const CANONICAL_HTTP_URL =
  /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[\w\-.~!$&'()*+,;=:@/%]*(?:\?[\w\-.~!$&()*+,;=:@/%?]*)?(?:#[\w\-.~!$&'()*+,;=:@/%?]*)?$/;
/** Dot segments (`/./`, `/../`, `%2e`), which the parser resolves, and punycode labels it checks. */
const MAY_CHANGE = /\/\.|%2e|xn--/i;

/**
 * Whether `new URL(value, base).href` is `value` itself, whatever `base` (`false`: maybe not). A
 * caller that keeps the URL (rather than writing it into HTML) should still take the parser's
 * string: `value` may be a slice of a whole file, which it would keep in memory.
 */
export function isCanonicalHttpUrl(value: string): boolean {
  return CANONICAL_HTTP_URL.test(value) && !MAY_CHANGE.test(value);
}

/**
 * Resolves a link or image URL against `base` (WHATWG URL parsing, which also discards the tabs,
 * newlines and leading spaces used to disguise schemes). Returns `undefined` for unparsable URLs
 * and for any scheme other than http, https, mailto and tel.
 */
export function resolveUrl(value: string, base: URL): string | undefined {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

/**
 * Resolves an image source against `base` (the release's page). Only an http(s) address of
 * something other than the page itself is a usable source: an empty `src`, `#`, `?x` or
 * `mailto:` would render as a broken image, so they give `undefined` and the image is dropped.
 */
export function resolveImageUrl(value: string, base: URL): string | undefined {
  if (value.trim() === '') return undefined;
  const url = resolveUrl(value, base);
  if (url === undefined || !/^https?:/.test(url)) return undefined;
  return isPage(url, base) ? undefined : url;
}

/** Whether the absolute URL `url` is the page `base` itself (with any query or fragment). */
export function isPage(url: string, base: URL): boolean {
  const withoutFragment = (href: string) => href.replace(/#.*$/s, '');
  const page = withoutFragment(base.href);
  const target = withoutFragment(url);
  return target === page || target.startsWith(`${page}?`);
}
