import compiled from '../../templates/compiled/digest.json' with { type: 'json' };
import {
  fillSiteSlots,
  HEADING_SLOT,
  SlotTemplate,
  siteSlotValues,
  TemplateError,
} from '../mail/template-slots.js';
import { type UiStrings, uiStrings } from '../shared/strings.js';
import { escapeHtml } from '../shared/text.js';
import type { SiteConfig } from '../site/config.js';
import type { Lang, MailKind } from './types.js';

/** The digest's texts in one language (the `digest` section of templates/strings/<lang>.json). */
export type DigestStrings = UiStrings['digest'];

/** The digest's mail files: `digest` serves the daily and weekly mails. */
type MailFile = 'digest' | 'immediate';

/**
 * The digest's templates as compiled at build time (templates/compiled/digest.json, from
 * templates/digest/ by `npm run templates`): per mail file and language, the HTML and text with
 * UI strings filled in and the `DIGEST_SITE_SLOTS` left as `[[name]]`.
 */
export interface TemplateSource {
  html: Readonly<Record<MailFile, Readonly<Record<Lang, string>>>>;
  text: Readonly<Record<MailFile, Readonly<Record<Lang, string>>>>;
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
interface CompiledParts {
  shell: SlotTemplate;
  item: SlotTemplate;
  itemWithImage: SlotTemplate;
}

const SHELL_SLOTS = ['items', 'why', 'unsubscribeUrl', 'preferencesUrl'];
const ITEM_SLOTS = ['title', 'url', 'date', 'category', 'summary'];

/**
 * The precompiled templates and the digest's UI texts. No MJML and no file reads: both are bundled
 * JSON, and the texts' shape is checked when the code compiles.
 */
export function loadTemplateSource(): TemplateSource {
  const strings: Record<Lang, DigestStrings> = {
    fi: uiStrings('fi').digest,
    sv: uiStrings('sv').digest,
    en: uiStrings('en').digest,
  };
  return { html: compiled.html, text: compiled.text, strings };
}

/**
 * Prepares each variant (mail kind × language) once and hands out the same templates on every
 * later call; per-recipient work is then only slot filling. `prepared` counts preparations.
 */
export class VariantCache {
  #variants = new Map<string, Promise<CompiledVariant>>();
  prepared = 0;

  constructor(
    private readonly source: TemplateSource,
    private readonly site: SiteConfig,
  ) {}

  /** The variant, prepared on first request. */
  variant(kind: MailKind, lang: Lang): Promise<CompiledVariant> {
    const key = `${kind}:${lang}`;
    let variant = this.#variants.get(key);
    if (!variant) {
      this.prepared += 1;
      try {
        variant = Promise.resolve(prepareVariant(this.source, this.site, kind, lang));
      } catch (error) {
        // Not cached: a broken template fails every call the same way, loudly.
        return Promise.reject(error);
      }
      this.#variants.set(key, variant);
    }
    return variant;
  }
}

/**
 * Prepares one variant: fills the site's name and URL and the kind's heading into the precompiled
 * templates of `lang` and cuts the item blocks (between `<!-- item -->` markers) out of them.
 *
 * @throws {TemplateError} when a template lacks a block or slot the digest fills.
 */
export function prepareVariant(
  source: TemplateSource,
  site: SiteConfig,
  kind: MailKind,
  lang: Lang,
): CompiledVariant {
  const file = mailFile(kind);
  const { html, text } = siteFilled(source, site, kind, lang);
  return {
    kind,
    lang,
    strings: source.strings[lang],
    html: splitItems(html, SlotTemplate.html, `${file}.mjml`),
    text: splitItems(text, SlotTemplate.text, `${file}.txt`),
  };
}

function mailFile(kind: MailKind): MailFile {
  return kind === 'immediate' ? 'immediate' : 'digest';
}

/**
 * The whole HTML and text of a variant with the site's name and URL and the kind's heading filled
 * in, before its item blocks are cut out: what a fresh MJML compile with those values gives.
 */
export function siteFilled(
  source: TemplateSource,
  site: SiteConfig,
  kind: MailKind,
  lang: Lang,
): { html: string; text: string } {
  const file = mailFile(kind);
  const values = {
    ...siteSlotValues({ title: site.title, url: site.siteUrl }),
    [HEADING_SLOT]: source.strings[lang][`heading.${kind}`],
  };
  return {
    html: fillSiteSlots(source.html[file][lang], values, escapeHtml),
    text: fillSiteSlots(source.text[file][lang], values, (value) => value),
  };
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
