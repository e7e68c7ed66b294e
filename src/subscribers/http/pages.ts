import { interpolate, LANGUAGE_NAMES, type UiStrings, uiStrings } from '../../mail/strings.js';
import { escapeHtml } from '../../shared/text.js';
import { FREQUENCIES, LANGS, type Lang, type Subscriber } from '../types.js';
import type { ApiResponse } from './request.js';

/** What every page needs to know about the site. */
export interface PageSite {
  title: string;
  /** Public base URL without a trailing slash. */
  url: string;
}

/** A category a subscriber can pick on the preferences page. */
export interface CategoryOption {
  slug: string;
  /** Display name, in the releases' own language. */
  name: string;
  /** Display names per UI language, when known. */
  names?: Partial<Record<Lang, string>>;
}

// Tokens ride in the URL: never leak them through Referer; nothing here may be cached or framed.
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 1rem; color: #0b0c0c; background-color: #fff; }
a { color: #1a4f8b; }
@media (prefers-color-scheme: dark) {
  body { color: #f0f0f0; background-color: #121417; }
  a { color: #9cc7ff; }
}
main { max-width: 36rem; margin: 2rem auto; }
fieldset { border: 1px solid currentColor; border-radius: .25rem; margin: 0 0 1rem; }
label { display: block; margin: .25rem 0; }
button { font: inherit; padding: .5rem 1rem; cursor: pointer; }
.notice { border-left: .25rem solid; padding-left: .75rem; }`;

/** A complete, self-contained HTML page (no scripts, no external resources). */
export function htmlPage(
  status: number,
  lang: Lang,
  site: PageSite,
  title: string,
  bodyHtml: string,
  headers: Record<string, string> = {},
): ApiResponse {
  const t = uiStrings(lang);
  const back = escapeHtml(interpolate(t.page.back, { site: site.title }));
  const body = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} – ${escapeHtml(site.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${bodyHtml}
<p><a href="${escapeHtml(`${site.url}/`)}">${back}</a></p>
</main>
</body>
</html>
`;
  return { status, headers: { ...HTML_HEADERS, 'content-language': lang, ...headers }, body };
}

/** One paragraph of plain text, with `{site}` filled in. */
export function paragraph(text: string, site: PageSite, className?: string): string {
  const attr = className ? ` class="${className}"` : '';
  return `<p${attr}>${escapeHtml(interpolate(text, { site: site.title }))}</p>`;
}

/** A page made of a title and one paragraph, from a `page.<name>` entry of the UI strings. */
export function messagePage(
  status: number,
  lang: Lang,
  site: PageSite,
  pick: (t: UiStrings) => { title: string; body: string },
): ApiResponse {
  const { title, body } = pick(uiStrings(lang));
  return htmlPage(
    status,
    lang,
    site,
    interpolate(title, { site: site.title }),
    paragraph(body, site),
  );
}

/** The unsubscribe page: a button that POSTs back to the same URL (a GET never unsubscribes). */
export function unsubscribePage(lang: Lang, site: PageSite): ApiResponse {
  const t = uiStrings(lang).page.unsubscribe;
  const form = `<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">${escapeHtml(t.button)}</button></form>`;
  return htmlPage(200, lang, site, t.title, `${paragraph(t.body, site)}\n${form}`);
}

/** The preferences page: language, frequency, categories, data download and deletion. */
export function preferencesPage(
  subscriber: Subscriber,
  categories: CategoryOption[],
  site: PageSite,
  saved: boolean,
): ApiResponse {
  const lang = subscriber.lang;
  const t = uiStrings(lang);
  const p = t.page.preferences;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    `<label><input type="radio" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
  const langs = LANGS.map((l) => radio('lang', l, LANGUAGE_NAMES[l], l === lang)).join('\n');
  const frequencies = FREQUENCIES.map((f) =>
    radio('frequency', f, t.page.frequencies[f], f === subscriber.frequency),
  ).join('\n');
  const all = subscriber.categories.length === 0;
  const known = new Map(categories.map((c) => [c.slug, c.names?.[lang] ?? c.name]));
  for (const slug of subscriber.categories) if (!known.has(slug)) known.set(slug, slug);
  const boxes = [...known]
    .map(
      ([slug, name]) =>
        `<label><input type="checkbox" name="categories" value="${escapeHtml(slug)}"${subscriber.categories.includes(slug) ? ' checked' : ''}> ${escapeHtml(name)}</label>`,
    )
    .join('\n');
  const body = `${saved ? `<p class="notice" role="status">${escapeHtml(p.saved)}</p>` : ''}
<p>${escapeHtml(p.address)}: <strong>${escapeHtml(subscriber.address)}</strong></p>
<form method="post">
<input type="hidden" name="action" value="save">
<fieldset><legend>${escapeHtml(p.language)}</legend>
${langs}
</fieldset>
<fieldset><legend>${escapeHtml(p.frequency)}</legend>
${frequencies}
</fieldset>
<fieldset><legend>${escapeHtml(p.categories)}</legend>
${radio('scope', 'all', p.allCategories, all)}
${radio('scope', 'some', p.someCategories, !all)}
${boxes}
</fieldset>
<button type="submit">${escapeHtml(p.save)}</button>
</form>
<h2>${escapeHtml(p.dataTitle)}</h2>
<form method="post"><input type="hidden" name="action" value="export"><button type="submit">${escapeHtml(p.download)}</button></form>
<h2>${escapeHtml(p.deleteTitle)}</h2>
${paragraph(p.deleteBody, site)}
<form method="post"><input type="hidden" name="action" value="delete"><button type="submit">${escapeHtml(p.deleteButton)}</button></form>`;
  return htmlPage(200, lang, site, p.title, body);
}

/** The confirmation page, with a link to the subscriber's preferences. */
export function confirmedPage(lang: Lang, site: PageSite, preferencesUrl: string): ApiResponse {
  const t = uiStrings(lang).page.confirmed;
  const link = `<p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t.manage)}</a></p>`;
  return htmlPage(200, lang, site, t.title, `${paragraph(t.body, site)}\n${link}`);
}
