import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import { LANGS } from '../subscribers/types.js';
import { SlotTemplate, TemplateError } from './slots.js';
import type { Lang, MailKind } from './types.js';

/** The UI strings of one language (templates/digest/strings.json). */
export type DigestStrings = Readonly<Record<string, string>>;

/** The digest's template files, read once per process. */
export interface TemplateSource {
  mjml: Readonly<Record<'digest' | 'immediate', string>>;
  text: Readonly<Record<'digest' | 'immediate', string>>;
  strings: Readonly<Record<Lang, DigestStrings>>;
}

/** A compiled mail: the shell and its item blocks, as HTML and as text, ready to fill. */
export interface CompiledVariant {
  kind: MailKind;
  lang: Lang;
  strings: DigestStrings;
  html: CompiledParts;
  text: CompiledParts;
}

/** A template with its repeated release block cut out: `{{{items}}}` marks where items go. */
export interface CompiledParts {
  shell: SlotTemplate;
  item: SlotTemplate;
  itemWithImage: SlotTemplate;
}

/** Where the repository keeps templates/digest/ (Lambda bundles pass their own folder). */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(
  new URL('../../templates/digest/', import.meta.url),
);

const SHELL_SLOTS = ['items', 'why', 'unsubscribeUrl', 'preferencesUrl'];
const ITEM_SLOTS = ['title', 'url', 'date', 'category', 'summary'];
const REQUIRED_STRINGS = [
  'dateTime',
  'date',
  'subject.daily',
  'subject.weekly',
  'subject.immediate',
  'heading.daily',
  'heading.weekly',
  'heading.immediate',
  'readMore',
  'unsubscribe',
  'preferences',
  'why',
];

/** Reads the MJML, text templates and UI strings from `dir`, checking every language is there. */
export async function loadTemplateSource(dir = DEFAULT_TEMPLATES_DIR): Promise<TemplateSource> {
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const [digestMjml, immediateMjml, digestText, immediateText, stringsJson] = await Promise.all([
    read('digest.mjml'),
    read('immediate.mjml'),
    read('digest.txt'),
    read('immediate.txt'),
    read('strings.json'),
  ]);
  const strings = JSON.parse(stringsJson) as Record<string, DigestStrings>;
  for (const lang of LANGS) {
    const missing = REQUIRED_STRINGS.filter((key) => typeof strings[lang]?.[key] !== 'string');
    if (missing.length > 0) {
      throw new TemplateError(`strings.json: "${lang}" lacks ${missing.join(', ')}`);
    }
  }
  return {
    mjml: { digest: digestMjml, immediate: immediateMjml },
    text: { digest: digestText, immediate: immediateText },
    strings: strings as Record<Lang, DigestStrings>,
  };
}

/** The MJML compiler's signature (mjml 5: async); injectable so a benchmark can count calls. */
export type MjmlCompile = (mjml: string) => Promise<string>;

/** Compiles with mjml's strict validation: an invalid template fails loudly, never half-renders. */
export const compileMjml: MjmlCompile = async (mjml) => {
  // Loaded on first use: the module costs ~0.5 s cold and only mail-sending code needs it.
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(mjml, {
    validationLevel: 'strict',
    keepComments: true,
    // No web fonts: MJML would add Google Fonts, telling a third party who opens the mail.
    fonts: {},
  });
  return result.html;
};

/**
 * Compiles each variant (mail kind × language) once and hands out the same compiled templates on
 * every later call; per-recipient work is then only slot filling. `compiles` counts MJML runs.
 */
export class VariantCache {
  #variants = new Map<string, Promise<CompiledVariant>>();
  compiles = 0;

  constructor(
    private readonly source: TemplateSource,
    private readonly site: SiteConfig,
    private readonly compile: MjmlCompile = compileMjml,
  ) {}

  /** The compiled variant, compiling it on first request. */
  variant(kind: MailKind, lang: Lang): Promise<CompiledVariant> {
    const key = `${kind}:${lang}`;
    let variant = this.#variants.get(key);
    if (!variant) {
      this.compiles += 1;
      variant = compileVariant(this.source, this.site, kind, lang, this.compile);
      // A failed compile is not cached, so a fixed template is picked up on the next call.
      variant.catch(() => this.#variants.delete(key));
      this.#variants.set(key, variant);
    }
    return variant;
  }
}

/**
 * Compiles one variant: fills the UI strings of `lang` (`[[key]]`) into the template, runs MJML
 * once, and cuts the item blocks (between `<!-- item -->` markers) out of the result.
 */
export async function compileVariant(
  source: TemplateSource,
  site: SiteConfig,
  kind: MailKind,
  lang: Lang,
  compile: MjmlCompile = compileMjml,
): Promise<CompiledVariant> {
  const strings = source.strings[lang];
  const file = kind === 'immediate' ? 'immediate' : 'digest';
  const constants: Record<string, string> = {
    ...strings,
    lang,
    city: site.title,
    siteUrl: `${site.siteUrl}/`,
    heading: strings[`heading.${kind}`] ?? '',
  };
  const html = collapseIndentation(
    await compile(fillConstants(source.mjml[file], constants, escapeHtml)),
  );
  const text = fillConstants(source.text[file], constants, (value) => value);
  return {
    kind,
    lang,
    strings,
    html: splitItems(html, SlotTemplate.html, `${file}.mjml`),
    text: splitItems(text, SlotTemplate.text, `${file}.txt`),
  };
}

/**
 * Drops MJML's indentation: a third of the HTML, and Gmail clips messages over ~102 KB. Safe because
 * the templates hold no `<pre>` and slot values are only filled in later.
 */
function collapseIndentation(html: string): string {
  return html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}

function fillConstants(
  template: string,
  constants: Readonly<Record<string, string>>,
  escapeValue: (value: string) => string,
): string {
  return template.replace(/\[\[([\w.]+)\]\]/g, (_, key: string) => {
    const value = constants[key];
    if (value === undefined) throw new TemplateError(`Unknown string [[${key}]] in a template`);
    return escapeValue(value);
  });
}

function splitItems(
  compiled: string,
  parse: (text: string) => SlotTemplate,
  what: string,
): CompiledParts {
  const plain = cutBlock(compiled, 'item', what);
  const withImage = cutBlock(plain.rest, 'item-image', what);
  // The text templates have no image block; a text item is the same with or without one.
  const rest = withImage.found ? withImage.rest : plain.rest;
  const shell = rest
    .replace(BLOCK_SLOT('item'), '{{{items}}}')
    .replace(BLOCK_SLOT('item-image'), '');
  return {
    shell: parse(shell).requireSlots(SHELL_SLOTS, what),
    item: parse(plain.block).requireSlots(ITEM_SLOTS, `${what} item`),
    itemWithImage: parse(withImage.found ? withImage.block : plain.block).requireSlots(
      ITEM_SLOTS,
      `${what} item-image`,
    ),
  };
}

const BLOCK_SLOT = (name: string) => `\u0000${name}\u0000`;

function cutBlock(text: string, name: string, what: string) {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) {
    if (name === 'item') throw new TemplateError(`${what} has no ${open} … ${close} block`);
    return { found: false, block: '', rest: text };
  }
  return {
    found: true,
    block: text.slice(start + open.length, end).replace(/^[ \t]*\n/, ''),
    rest: text.slice(0, start) + BLOCK_SLOT(name) + text.slice(end + close.length),
  };
}
