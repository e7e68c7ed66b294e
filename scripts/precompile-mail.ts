/**
 * The build step that keeps MJML out of every function: compiles templates/confirm.mjml and
 * templates/digest/{digest,immediate}.mjml once per language into templates/compiled/*.json.
 * UI strings are filled in here; site values (`[[site.title]]`, `[[site.url]]`, `[[city]]`,
 * `[[siteUrl]]`) and the digest heading stay as slots the functions fill at cold start, and
 * per-message values (`{{name}}`) as slots filled per recipient.
 *
 * `npm run templates` writes the files (also run before `npm run bundle` and `npm run package`);
 * `npm run templates -- --check` fails when the committed output is stale.
 * tests/mail/precompile.test.ts proves the output equals a fresh MJML compile.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mjml2html from 'mjml';
import { TemplateError } from '../src/digest/slots.js';
import type { DigestStrings } from '../src/digest/templates.js';
import type { Lang } from '../src/digest/types.js';
import { interpolate, uiStrings } from '../src/mail/strings.js';
import { CONFIRM_SITE_SLOTS, DIGEST_SITE_SLOTS } from '../src/mail/template-slots.js';
import { escapeHtml } from '../src/shared/text.js';
import { LANGS } from '../src/subscribers/types.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(PROJECT_ROOT, 'templates');
const COMPILED = join(TEMPLATES, 'compiled');

/** The digest templates: one HTML and one text template per mail file and language. */
export interface CompiledDigestFile {
  html: Record<'digest' | 'immediate', Record<Lang, string>>;
  text: Record<'digest' | 'immediate', Record<Lang, string>>;
}

/** The confirmation mail: one HTML template per language. */
export interface CompiledConfirmFile {
  html: Record<Lang, string>;
}

/** Site values for a reference compile (the run-time path fills the same values into slots). */
export interface ReferenceSite {
  title: string;
  /** Base URL without a trailing slash. */
  url: string;
}

type MailFile = 'digest' | 'immediate';
const MAIL_FILES: readonly MailFile[] = ['digest', 'immediate'];

/**
 * Runs MJML with strict validation and without third-party fonts (`fonts: {}`: MJML would
 * otherwise add Google Fonts links for names it knows, such as Roboto).
 *
 * @throws {TemplateError} when the template is not valid MJML.
 */
export async function compileMjml(
  source: string,
  what: string,
  keepComments: boolean,
): Promise<string> {
  try {
    const result = await mjml2html(source, { validationLevel: 'strict', keepComments, fonts: {} });
    return collapseIndentation(result.html);
  } catch (error) {
    throw new TemplateError(`${what} is not valid MJML`, { cause: error });
  }
}

/**
 * Drops MJML's indentation: a third of the HTML, and Gmail clips messages over ~102 KB. Safe because
 * the templates hold no `<pre>` and slot values are only filled in later.
 */
function collapseIndentation(html: string): string {
  return html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}

function fillKeys(
  template: string,
  values: Readonly<Record<string, string>>,
  escapeValue: (value: string) => string,
  what: string,
): string {
  return template.replace(/\[\[([\w.]+)\]\]/g, (_, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) throw new TemplateError(`${what}: unknown string [[${key}]]`);
    return escapeValue(value);
  });
}

async function readDigestSources() {
  const read = (name: string) => readFile(join(TEMPLATES, 'digest', name), 'utf8');
  const strings = JSON.parse(await read('strings.json')) as Record<Lang, DigestStrings>;
  const mjml = { digest: await read('digest.mjml'), immediate: await read('immediate.mjml') };
  const text = { digest: await read('digest.txt'), immediate: await read('immediate.txt') };
  return { strings, mjml, text };
}

// The digest's language values; `site` gives the run-time slots either their own marker
// (precompile) or real values (a reference compile of the old, all-at-once path).
function digestValues(
  strings: DigestStrings,
  lang: Lang,
  site: Readonly<Record<(typeof DIGEST_SITE_SLOTS)[number], string>>,
): Record<string, string> {
  return { ...strings, lang, ...site };
}

const DIGEST_MARKERS = Object.fromEntries(
  DIGEST_SITE_SLOTS.map((key) => [key, `[[${key}]]`]),
) as Record<(typeof DIGEST_SITE_SLOTS)[number], string>;

/** Compiles both digest mail files in every language, site values left as slots. */
export async function precompileDigest(): Promise<CompiledDigestFile> {
  const { strings, mjml, text } = await readDigestSources();
  const compiled: CompiledDigestFile = {
    html: { digest: {} as Record<Lang, string>, immediate: {} as Record<Lang, string> },
    text: { digest: {} as Record<Lang, string>, immediate: {} as Record<Lang, string> },
  };
  for (const file of MAIL_FILES) {
    for (const lang of LANGS) {
      const values = digestValues(strings[lang], lang, DIGEST_MARKERS);
      const what = `templates/digest/${file}`;
      const filled = fillKeys(mjml[file], values, escapeHtml, `${what}.mjml`);
      compiled.html[file][lang] = await compileMjml(filled, `${what}.mjml`, true);
      compiled.text[file][lang] = fillKeys(text[file], values, (v) => v, `${what}.txt`);
    }
  }
  return compiled;
}

/**
 * A fresh compile of one digest mail the way it was done at run time before precompiling: every
 * value, site values included, filled into the MJML, then MJML run. Tests compare it with the
 * precompiled template after its site slots are filled.
 */
export async function referenceDigestHtml(
  file: MailFile,
  lang: Lang,
  kind: 'daily' | 'weekly' | 'immediate',
  site: ReferenceSite,
): Promise<string> {
  const { strings, mjml } = await readDigestSources();
  const own = strings[lang];
  const values = digestValues(own, lang, {
    city: site.title,
    siteUrl: `${site.url}/`,
    heading: own[`heading.${kind}`] ?? '',
  });
  const what = `templates/digest/${file}.mjml`;
  return compileMjml(fillKeys(mjml[file], values, escapeHtml, what), what, true);
}

// Values of `[[path]]` in confirm.mjml: UI strings (with `{site}` / `{siteUrl}` interpolated),
// the language, and the site values, here either markers or real values.
function confirmSource(source: string, lang: Lang, site: ReferenceSite): string {
  return source.replace(/\[\[([a-zA-Z0-9_.-]+)\]\]/g, (_whole, path: string) => {
    if (path === 'lang') return lang;
    if (path === 'site.title') return escapeHtml(site.title);
    if (path === 'site.url') return escapeHtml(site.url);
    let value: unknown = uiStrings(lang);
    for (const part of path.split('.')) {
      value = typeof value === 'object' && value !== null ? Reflect.get(value, part) : undefined;
    }
    if (typeof value !== 'string') {
      throw new TemplateError(`confirm.mjml: no UI string ${path} in ${lang}`);
    }
    return escapeHtml(interpolate(value, { site: site.title, siteUrl: site.url }));
  });
}

const CONFIRM_MARKERS: ReferenceSite = {
  title: `[[${CONFIRM_SITE_SLOTS.title}]]`,
  url: `[[${CONFIRM_SITE_SLOTS.url}]]`,
};

/** Compiles the confirmation mail in every language, site values left as slots. */
export async function precompileConfirm(): Promise<CompiledConfirmFile> {
  const source = await readFile(join(TEMPLATES, 'confirm.mjml'), 'utf8');
  const html = {} as Record<Lang, string>;
  for (const lang of LANGS) {
    html[lang] = await compileMjml(
      confirmSource(source, lang, CONFIRM_MARKERS),
      'confirm.mjml',
      false,
    );
  }
  return { html };
}

/** A fresh compile of the confirmation mail with real site values (see {@link referenceDigestHtml}). */
export async function referenceConfirmHtml(lang: Lang, site: ReferenceSite): Promise<string> {
  const source = await readFile(join(TEMPLATES, 'confirm.mjml'), 'utf8');
  return compileMjml(confirmSource(source, lang, site), 'confirm.mjml', false);
}

/** Every compiled file under templates/compiled/, as the text written there. */
export async function precompiledFiles(): Promise<Record<string, string>> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'confirm.json': json(await precompileConfirm()),
    'digest.json': json(await precompileDigest()),
  };
}

/** The names of compiled files whose committed text differs from a fresh compile. */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, text] of Object.entries(await precompiledFiles())) {
    const current = await readFile(join(COMPILED, name), 'utf8').catch(() => '');
    if (current !== text) stale.push(name);
  }
  return stale;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      console.error(`templates/compiled/ is stale (${stale.join(', ')}): run npm run templates`);
      process.exit(1);
    }
  } else {
    for (const [name, text] of Object.entries(await precompiledFiles())) {
      await writeFile(join(COMPILED, name), text);
    }
  }
}
