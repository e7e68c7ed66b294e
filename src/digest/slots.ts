import { escapeHtml } from '../shared/text.js';

/** A template names a slot the caller did not fill, or lacks one it must have. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

interface Slot {
  name: string;
  /** `{{{name}}}`: inserted as is (already-built HTML); `{{name}}`: escaped. */
  raw: boolean;
}

const SLOT = /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g;

/**
 * A template split once into literal text and named slots, then filled any number of times by
 * joining strings: the per-recipient cost of personalization. `{{name}}` values are escaped with
 * the template's escaper, `{{{name}}}` values are inserted as they are.
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

  /** The template with every slot filled from `values`. */
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

/** Replaces `{name}` placeholders of a UI string (subject lines, footers); unknown ones stay. */
export function formatString(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
