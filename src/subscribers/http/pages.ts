import { interpolate, LANGUAGE_NAMES, type UiStrings, uiStrings } from '../../shared/strings.js';
import { escapeHtml } from '../../shared/text.js';
import { FREQUENCIES, LANGS, type Lang, type Subscriber } from '../types.js';
import type { ApiResponse } from './request.js';

/** What every page needs to know about the site. */
export interface PageSite {
  title: string;
  /** The organisation's name per language, when branded: a page shows the one in its language. */
  names?: Readonly<Record<string, string>>;
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
  const name = site.names?.[lang] ?? site.title;
  const back = escapeHtml(interpolate(t.subscription.back, { site: name }));
  const body = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} – ${escapeHtml(name)}</title>
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
  const t = uiStrings(lang).subscription.unsubscribe;
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
  const p = t.subscription.preferences;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    `<label><input type="radio" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
  const langs = LANGS.map((l) => radio('lang', l, LANGUAGE_NAMES[l], l === lang)).join('\n');
  const frequencies = FREQUENCIES.map((f) =>
    radio('frequency', f, t.subscription.frequencies[f], f === subscriber.frequency),
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
${subscriptionSummary(subscriber, categories)}
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

/**
 * The confirmation page: what the subscription now is (language, topics, frequency) and a link
 * to the subscriber's preferences.
 */
export function confirmedPage(
  subscriber: Pick<Subscriber, 'lang' | 'categories' | 'frequency'>,
  categories: readonly CategoryOption[],
  site: PageSite,
  preferencesUrl: string,
): ApiResponse {
  const lang = subscriber.lang;
  const t = uiStrings(lang).subscription.confirmed;
  const link = `<p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t.manage)}</a></p>`;
  const summary = subscriptionSummary(subscriber, categories);
  return htmlPage(200, lang, site, t.title, `${paragraph(t.body, site)}\n${summary}\n${link}`);
}

/**
 * One line that says what a subscription is, in its language: `Tilauksesi: kieli: suomi · vain:
 * Tiedote, Blogi · Kerran päivässä`. Categories are named in the subscriber's language.
 */
function subscriptionSummary(
  subscription: Pick<Subscriber, 'lang' | 'categories' | 'frequency'>,
  categories: readonly CategoryOption[],
): string {
  const { lang } = subscription;
  const p = uiStrings(lang).subscription;
  const names = subscription.categories.map((slug) => categoryName(slug, categories, lang));
  const line = interpolate(p.summary.line, {
    intro: p.summary.intro,
    language: interpolate(p.summary.language, { language: LANGUAGE_NAMES[lang] }),
    categories:
      names.length === 0
        ? p.preferences.allCategories
        : interpolate(p.summary.only, { categories: names.join(', ') }),
    frequency: p.frequencies[subscription.frequency],
  });
  return `<p class="summary">${escapeHtml(line)}</p>`;
}

function categoryName(slug: string, categories: readonly CategoryOption[], lang: Lang): string {
  const option = categories.find((category) => category.slug === slug);
  return option === undefined ? slug : (option.names?.[lang] ?? option.name);
}

/**
 * A preferences link of a subscription that no longer exists (the subscriber unsubscribed or
 * deleted their data): says so, and links the site's subscribe form to subscribe again.
 */
export function notSubscribedPage(lang: Lang, site: PageSite): ApiResponse {
  const t = uiStrings(lang).subscription.notSubscribed;
  const again = `<p><a href="${escapeHtml(`${site.url}/#subscribe`)}">${escapeHtml(t.subscribe)}</a></p>`;
  return htmlPage(410, lang, site, t.title, `${paragraph(t.body, site)}\n${again}`);
}

/** What a visitor typed into the subscribe form, kept for the error page. */
export interface TypedSubscription {
  email: string;
  lang: Lang;
  categories: readonly string[];
  frequency: string;
  /** The problem is the address: the field is marked invalid. */
  emailInvalid: boolean;
}

/**
 * The subscribe form's error page: the problem (announced to screen readers), then the form again
 * with everything the visitor typed, so fixing the address is all that is left, and a link back to
 * the page the form was on.
 */
export function subscribeErrorPage(
  status: number,
  message: string,
  typed: TypedSubscription,
  categories: readonly CategoryOption[],
  site: PageSite,
  back: string,
): ApiResponse {
  const { lang } = typed;
  const t = uiStrings(lang).subscription;
  const f = t.errorsForm;
  const checked = (on: boolean) => (on ? ' checked' : '');
  const langs = LANGS.map(
    (l) =>
      `<option value="${l}"${l === lang ? ' selected' : ''} lang="${l}">${escapeHtml(LANGUAGE_NAMES[l])}</option>`,
  ).join('');
  const boxes = categories.map(
    (c) =>
      `<label><input type="checkbox" name="categories" value="${escapeHtml(c.slug)}"${checked(typed.categories.includes(c.slug))}> ${escapeHtml(c.names?.[lang] ?? c.name)}</label>`,
  );
  const frequencies = FREQUENCIES.map(
    (value) =>
      `<label><input type="radio" name="frequency" value="${value}"${checked(value === typed.frequency)}> ${escapeHtml(t.frequencies[value])}</label>`,
  );
  const topics =
    boxes.length === 0
      ? ''
      : `<fieldset aria-describedby="categories-hint"><legend>${escapeHtml(f.categories)}</legend>
<p id="categories-hint">${escapeHtml(f.categoriesHint)}</p>
${boxes.join('\n')}
</fieldset>\n`;
  const body = `<p class="notice" role="alert" id="problem">${escapeHtml(message)}</p>
<form method="post" action="/api/subscribe">
<p><label for="email">${escapeHtml(f.email)}</label><br>
<input id="email" name="email" type="email" required autocomplete="email" spellcheck="false" aria-describedby="problem"${typed.emailInvalid ? ' aria-invalid="true"' : ''} value="${escapeHtml(typed.email)}"></p>
<p><label for="lang">${escapeHtml(f.language)}</label><br>
<select id="lang" name="lang">${langs}</select></p>
${topics}<fieldset><legend>${escapeHtml(f.frequency)}</legend>
${frequencies.join('\n')}
</fieldset>
<p><button type="submit">${escapeHtml(f.resend)}</button></p>
</form>
<p><a href="${escapeHtml(back)}">${escapeHtml(f.back)}</a></p>`;
  return htmlPage(status, lang, site, t.errors.title, body);
}
