/**
 * The one template engine of every mail. Templates are compiled from MJML at build time
 * (scripts/precompile-mail.ts → templates/compiled/*.json, UI texts already filled in) and keep
 * two kinds of slots: `[[name]]` site slots, filled once per process, template and language
 * ({@link fillSiteSlots}), and `{{name}}` per-message slots, filled per recipient by joining
 * strings ({@link SlotTemplate}). No MJML at run time. This module imports no compiled output, so
 * the build step can use it even when templates/compiled/ is missing or broken; the modules that
 * load compiled templates are src/mail/templates.ts (confirmation) and src/digest/templates.ts.
 */
import { escapeHtml } from '../shared/text.js';

/** The site's name and public base URL (without a trailing slash), in every template. */
export const SITE_SLOTS = { title: 'site.title', url: 'site.url' } as const;

/** The digest's heading, which depends on the mail's kind (one template serves daily and weekly). */
export const HEADING_SLOT = 'heading';

/** A template could not be compiled or filled, or lacks a slot or block its callers fill. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** The site facts templates may show. */
export interface TemplateSite {
  title: string;
  /** Public base URL without a trailing slash. */
  url: string;
}

/** The values of the site slots (`[[site.title]]`, `[[site.url]]`) for `site`. */
export function siteSlotValues(site: TemplateSite): Record<string, string> {
  return { [SITE_SLOTS.title]: site.title, [SITE_SLOTS.url]: site.url };
}

const SITE_SLOT = /\[\[([\w.]+)\]\]/g;

/**
 * Fills the `[[name]]` slots a precompiled template kept, in one pass (so a site title that
 * happens to contain `[[site.url]]` stays as it is), each value passed through `escapeValue`.
 *
 * @throws {TemplateError} when the template has a slot `values` does not fill.
 */
export function fillSiteSlots(
  template: string,
  values: Readonly<Record<string, string>>,
  escapeValue: (value: string) => string,
): string {
  return template.replace(SITE_SLOT, (_whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new TemplateError(`Unknown slot [[${name}]] in a template`);
    return escapeValue(value);
  });
}

interface Slot {
  name: string;
  /** `{{{name}}}`: inserted as is (already-built HTML); `{{name}}`: escaped. */
  raw: boolean;
}

const SLOT = /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g;

/**
 * A template split once into literal text and named per-message slots, then filled any number of
 * times by joining strings: the per-recipient cost of personalization. `{{name}}` values are
 * escaped with the template's escaper, `{{{name}}}` values are inserted as they are.
 */
export class SlotTemplate {
  private constructor(
    private readonly literals: readonly string[],
    private readonly slots: readonly Slot[],
    private readonly escapeValue: (value: string) => string,
  ) {}

  /** Splits `text` at its slots; `escapeValue` is applied to every `{{name}}` value. */
  static parse(text: string, escapeValue: (value: string) => string): SlotTemplate {
    const literals: string[] = [];
    const slots: Slot[] = [];
    let last = 0;
    for (const match of text.matchAll(SLOT)) {
      literals.push(text.slice(last, match.index));
      slots.push({ name: match[1] ?? match[2] ?? '', raw: match[1] !== undefined });
      last = match.index + match[0].length;
    }
    literals.push(text.slice(last));
    return new SlotTemplate(literals, slots, escapeValue);
  }

  /** An HTML template: `{{name}}` values are HTML-escaped. */
  static html(text: string): SlotTemplate {
    return SlotTemplate.parse(text, escapeHtml);
  }

  /** A plain-text template: values are inserted verbatim. */
  static text(text: string): SlotTemplate {
    return SlotTemplate.parse(text, (value) => value);
  }

  /** The names of every slot, for checking a template against what its callers fill. */
  get names(): ReadonlySet<string> {
    return new Set(this.slots.map((slot) => slot.name));
  }

  /** Fails unless every name in `required` is a slot of this template. */
  requireSlots(required: readonly string[], what: string): this {
    const missing = required.filter((name) => !this.names.has(name));
    if (missing.length > 0) {
      throw new TemplateError(
        `${what} lacks the slot(s) ${missing.map((n) => `{{${n}}}`).join(', ')}`,
      );
    }
    return this;
  }

  /**
   * The template with every slot filled from `values`.
   *
   * @throws {TemplateError} when a slot has no value.
   */
  fill(values: Readonly<Record<string, string>>): string {
    let out = this.literals[0] ?? '';
    for (let i = 0; i < this.slots.length; i += 1) {
      const slot = this.slots[i] as Slot;
      const value = values[slot.name];
      if (value === undefined) throw new TemplateError(`No value for the slot {{${slot.name}}}`);
      out += (slot.raw ? value : this.escapeValue(value)) + (this.literals[i + 1] ?? '');
    }
    return out;
  }
}
