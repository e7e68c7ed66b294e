/**
 * The build step that keeps MJML out of every function: compiles templates/confirm.mjml and
 * templates/digest/{digest,immediate}.mjml once per language into templates/compiled/*.json.
 * Every template names its UI texts the same way, `[[section.key]]`, a path into the one
 * catalogue templates/strings/<lang>.json (`[[mail.confirm.heading]]`, `[[digest.readMore]]`),
 * filled in here. The site slots (`[[site.title]]`, `[[site.url]]`) and the digest's
 * `[[heading]]` stay for the functions to fill at cold start, and per-message values (`{{name}}`)
 * for them to fill per recipient (src/mail/template-slots.ts).
 *
 * `npm run templates` writes the files (also run before `npm run bundle` and `npm run package`);
 * `npm run templates -- --check` fails when the committed output is stale.
 * tests/mail/precompile.test.ts proves the output equals a fresh MJML compile.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mjml2html from 'mjml';
import { HEADING_SLOT, SITE_SLOTS, TemplateError } from '../src/mail/template-slots.js';
import { interpolate, type UiLang, uiStrings } from '../src/shared/strings.js';
import { escapeHtml } from '../src/shared/text.js';
import { LANGS } from '../src/subscribers/types.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(PROJECT_ROOT, 'templates');
const COMPILED = join(TEMPLATES, 'compiled');

/** The digest templates: one HTML and one text template per mail file and language. */
export interface CompiledDigestFile {
  html: Record<'digest' | 'immediate', Record<UiLang, string>>;
  text: Record<'digest' | 'immediate', Record<UiLang, string>>;
}

/** The confirmation mail: one HTML template per language. */
export interface CompiledConfirmFile {
  html: Record<UiLang, string>;
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

// The values a template's `[[name]]` slots take besides UI texts: the language, and the site and
// heading slots, either as their own markers (precompile) or as real values (a reference compile
// of the old, all-at-once path).
type SlotValues = Readonly<Record<string, string>>;

function markers(names: readonly string[]): SlotValues {
  return Object.fromEntries(names.map((name) => [name, `[[${name}]]`]));
}

const SITE_MARKERS = markers([SITE_SLOTS.title, SITE_SLOTS.url]);
const DIGEST_MARKERS = markers([SITE_SLOTS.title, SITE_SLOTS.url, HEADING_SLOT]);

/** The UI text at `path` (`mail.confirm.heading`, `digest.readMore`), or undefined. */
function textAt(lang: UiLang, path: string): string | undefined {
  let node: unknown = uiStrings(lang);
  let rest = path;
  while (typeof node === 'object' && node !== null) {
    // The digest's and staff's keys have dots of their own (`digest.heading.daily`).
    if (Object.hasOwn(node, rest)) {
      const value: unknown = Reflect.get(node, rest);
      return typeof value === 'string' ? value : undefined;
    }
    const dot = rest.indexOf('.');
    if (dot < 0) return undefined;
    node = Reflect.get(node, rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  return undefined;
}

/**
 * Fills every `[[name]]` of a template source: `slots` first, then `[[lang]]`, then UI texts,
 * whose `{site}` and `{siteUrl}` placeholders take the site slots' values.
 *
 * @throws {TemplateError} when a name is neither a slot nor a UI text of `lang`.
 */
function fillSource(
  source: string,
  lang: UiLang,
  slots: SlotValues,
  escapeValue: (value: string) => string,
  what: string,
): string {
  const site = { site: slots[SITE_SLOTS.title] ?? '', siteUrl: slots[SITE_SLOTS.url] ?? '' };
  return source.replace(/\[\[([\w.-]+)\]\]/g, (_whole, name: string) => {
    if (Object.hasOwn(slots, name)) return escapeValue(slots[name] as string);
    if (name === 'lang') return lang;
    const text = textAt(lang, name);
    if (text === undefined) throw new TemplateError(`${what}: no UI text ${name} in ${lang}`);
    return escapeValue(interpolate(text, site));
  });
}

async function readDigestSources() {
  const read = (name: string) => readFile(join(TEMPLATES, 'digest', name), 'utf8');
  const mjml = { digest: await read('digest.mjml'), immediate: await read('immediate.mjml') };
  const text = { digest: await read('digest.txt'), immediate: await read('immediate.txt') };
  return { mjml, text };
}

/** Compiles both digest mail files in every language, site values left as slots. */
export async function precompileDigest(): Promise<CompiledDigestFile> {
  const { mjml, text } = await readDigestSources();
  const compiled: CompiledDigestFile = {
    html: { digest: {} as Record<UiLang, string>, immediate: {} as Record<UiLang, string> },
    text: { digest: {} as Record<UiLang, string>, immediate: {} as Record<UiLang, string> },
  };
  for (const file of MAIL_FILES) {
    for (const lang of LANGS) {
      const what = `templates/digest/${file}`;
      const filled = fillSource(mjml[file], lang, DIGEST_MARKERS, escapeHtml, `${what}.mjml`);
      compiled.html[file][lang] = await compileMjml(filled, `${what}.mjml`, true);
      compiled.text[file][lang] = fillSource(text[file], lang, DIGEST_MARKERS, (v) => v, what);
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
  lang: UiLang,
  kind: 'daily' | 'weekly' | 'immediate',
  site: ReferenceSite,
): Promise<string> {
  const { mjml } = await readDigestSources();
  const slots = {
    [SITE_SLOTS.title]: site.title,
    [SITE_SLOTS.url]: site.url,
    [HEADING_SLOT]: uiStrings(lang).digest[`heading.${kind}`],
  };
  const what = `templates/digest/${file}.mjml`;
  return compileMjml(fillSource(mjml[file], lang, slots, escapeHtml, what), what, true);
}

/** Compiles the confirmation mail in every language, site values left as slots. */
export async function precompileConfirm(): Promise<CompiledConfirmFile> {
  const source = await readFile(join(TEMPLATES, 'confirm.mjml'), 'utf8');
  const html = {} as Record<UiLang, string>;
  for (const lang of LANGS) {
    const filled = fillSource(source, lang, SITE_MARKERS, escapeHtml, 'confirm.mjml');
    html[lang] = await compileMjml(filled, 'confirm.mjml', false);
  }
  return { html };
}

/** A fresh compile of the confirmation mail with real site values (see {@link referenceDigestHtml}). */
export async function referenceConfirmHtml(lang: UiLang, site: ReferenceSite): Promise<string> {
  const source = await readFile(join(TEMPLATES, 'confirm.mjml'), 'utf8');
  const slots = { [SITE_SLOTS.title]: site.title, [SITE_SLOTS.url]: site.url };
  return compileMjml(
    fillSource(source, lang, slots, escapeHtml, 'confirm.mjml'),
    'confirm.mjml',
    false,
  );
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
