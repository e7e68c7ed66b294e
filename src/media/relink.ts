import { escapeHtml } from '../shared/text.js';

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
};

// Our renderers write every attribute double-quoted; `src` and `href` are where media are used.
const URL_ATTRIBUTE = /(\s(?:src|href)=")([^"]*)"/gi;

/**
 * Points a rendered page's pictures and links at other copies of its media: each `src`/`href`
 * whose URL (before any `#fragment`) is a key of `links` gets that key's value instead, the
 * fragment kept. Used where the public `media/…` URLs cannot work yet: a preview written to a
 * folder (relative paths) and a draft's private preview (signed API URLs). Everything else in
 * the page, `og:image` and the canonical URL included, is left as published.
 */
export function relinkMedia(html: string, links: ReadonlyMap<string, string>): string {
  if (links.size === 0) return html;
  return html.replace(URL_ATTRIBUTE, (whole, start: string, value: string) => {
    const url = value.replace(
      /&(?:amp|lt|gt|quot|#39|#x27);/g,
      (entity) => ENTITIES[entity] ?? entity,
    );
    const cut = url.indexOf('#');
    const target = links.get(cut === -1 ? url : url.slice(0, cut));
    if (target === undefined) return whole;
    return `${start}${escapeHtml(target + (cut === -1 ? '' : url.slice(cut)))}"`;
  });
}
