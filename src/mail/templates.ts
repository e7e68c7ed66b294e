import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../shared/text.js';
import { interpolate, type UiLang, uiStrings } from './strings.js';

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

const BUILD_TIME = /\[\[([a-zA-Z0-9_.-]+)\]\]/g;
const RUN_TIME = /\{\{([a-zA-Z0-9_]+)\}\}/g;

/**
 * Compiles the MJML templates in a folder (templates/ in this repository), once per template and
 * language for the life of the process: the compile promise is cached, so a Lambda cold start pays
 * for MJML once and every message after that only for string substitution.
 *
 * In the MJML source, `[[path]]` is replaced before compiling by the UI string at that path
 * (templates/strings/<lang>.json, `{site}` filled in), `[[lang]]`, `[[site.title]]` or
 * `[[site.url]]`, HTML-escaped; `{{name}}` is left for {@link CompiledTemplate.fill}.
 * mjml itself is loaded on first use only, so functions that send no mail never load it.
 */
export class MjmlTemplates {
  private readonly cache = new Map<string, Promise<CompiledTemplate>>();

  constructor(
    private readonly directory: string,
    private readonly site: TemplateSite,
  ) {}

  /** The compiled template `name` (`<directory>/<name>.mjml`) in `lang`. */
  compile(name: string, lang: UiLang): Promise<CompiledTemplate> {
    const cacheKey = `${name}/${lang}`;
    let compiled = this.cache.get(cacheKey);
    if (compiled === undefined) {
      compiled = this.build(name, lang);
      // A failed compile is not cached: the next message tries again (and logs again).
      compiled.catch(() => this.cache.delete(cacheKey));
      this.cache.set(cacheKey, compiled);
    }
    return compiled;
  }

  private async build(name: string, lang: UiLang): Promise<CompiledTemplate> {
    if (!/^[a-z0-9-]+$/.test(name)) throw new TemplateError(`Bad template name ${name}`);
    const source = await readFile(join(this.directory, `${name}.mjml`), 'utf8');
    const localized = source.replace(BUILD_TIME, (_whole, path: string) =>
      escapeHtml(this.buildTimeValue(path, lang, name)),
    );
    const { default: mjml2html } = await import('mjml');
    let result: Awaited<ReturnType<typeof mjml2html>>;
    try {
      result = await mjml2html(localized, {
        validationLevel: 'strict',
        keepComments: false,
        // No web fonts: MJML would add Google Fonts, telling a third party who opens the mail.
        fonts: {},
      });
    } catch (error) {
      throw new TemplateError(`${name}.mjml is not valid MJML`, { cause: error });
    }
    const html = result.html;
    return { html, fill: (values) => fillPlaceholders(html, values) };
  }

  private buildTimeValue(path: string, lang: UiLang, template: string): string {
    if (path === 'lang') return lang;
    if (path === 'site.title') return this.site.title;
    if (path === 'site.url') return this.site.url;
    let value: unknown = uiStrings(lang);
    for (const part of path.split('.')) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (typeof value !== 'string') {
      throw new TemplateError(`${template}.mjml: no UI string ${path} in ${lang}`);
    }
    return interpolate(value, { site: this.site.title, siteUrl: this.site.url });
  }
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
