/** URL schemes a link or image may use; everything else (javascript:, data:, …) is dropped. */
export const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

const ALLOWED_PROTOCOLS = new Set<string>(ALLOWED_SCHEMES.map((scheme) => `${scheme}:`));

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
