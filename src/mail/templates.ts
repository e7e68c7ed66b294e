import compiled from '../../templates/compiled/confirm.json' with { type: 'json' };
import { escapeHtml } from '../shared/text.js';
import type { UiLang } from './strings.js';
import { CONFIRM_SITE_SLOTS } from './template-slots.js';

/** A template could not be compiled or filled. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** The site facts templates may show. */
export interface TemplateSite {
  title: string;
  /** Public base URL without a trailing slash. */
  url: string;
}

/** An MJML template compiled to HTML for one language, waiting for per-message values. */
export interface CompiledTemplate {
  /** The compiled HTML with `{{name}}` placeholders left in. */
  readonly html: string;
  /** The HTML with every `{{name}}` replaced by the HTML-escaped value of `values[name]`. */
  fill(values: Record<string, string>): string;
}

const SITE_SLOT = /\[\[(site\.title|site\.url)\]\]/g;
const RUN_TIME = /\{\{([a-zA-Z0-9_]+)\}\}/g;
const PRECOMPILED: Readonly<Record<string, Readonly<Record<UiLang, string>>>> = {
  confirm: compiled.html,
};

/**
 * The mail templates compiled at build time (templates/compiled/, from the MJML in templates/ by
 * `npm run templates`): no MJML at run time. The site's title and URL are filled in once per
 * template and language for the life of the process; `{{name}}` is left for
 * {@link CompiledTemplate.fill}.
 */
export class MjmlTemplates {
  private readonly cache = new Map<string, Promise<CompiledTemplate>>();

  constructor(private readonly site: TemplateSite) {}

  /** The compiled template `name` (templates/`<name>`.mjml) in `lang`. */
  compile(name: string, lang: UiLang): Promise<CompiledTemplate> {
    const cacheKey = `${name}/${lang}`;
    let template = this.cache.get(cacheKey);
    if (template === undefined) {
      const html = Object.hasOwn(PRECOMPILED, name) ? PRECOMPILED[name]?.[lang] : undefined;
      if (html === undefined) return Promise.reject(new TemplateError(`No template ${name}`));
      template = Promise.resolve(withSite(html, this.site));
      this.cache.set(cacheKey, template);
    }
    return template;
  }
}

function withSite(precompiled: string, site: TemplateSite): CompiledTemplate {
  const title = escapeHtml(site.title);
  const url = escapeHtml(site.url);
  // One pass, so a site title that happens to contain `[[site.url]]` stays as it is.
  const html = precompiled.replace(SITE_SLOT, (_whole, slot: string) =>
    slot === CONFIRM_SITE_SLOTS.title ? title : url,
  );
  return { html, fill: (values) => fillPlaceholders(html, values) };
}

/**
 * Replaces `{{name}}` placeholders with HTML-escaped values.
 *
 * @throws {TemplateError} when a placeholder has no value.
 */
export function fillPlaceholders(html: string, values: Record<string, string>): string {
  return html.replace(RUN_TIME, (_whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new TemplateError(`No value for placeholder ${name}`);
    return escapeHtml(value);
  });
}
