import compiledConfirm from '../../templates/compiled/confirm.json' with { type: 'json' };
import type { UiLang } from '../shared/strings.js';
import { escapeHtml } from '../shared/text.js';
import {
  fillSiteSlots,
  SlotTemplate,
  siteSlotValues,
  TemplateError,
  type TemplateSite,
} from './template-slots.js';

/** A template compiled for one language, its site slots filled, waiting for per-message values. */
export interface CompiledTemplate {
  /** The compiled HTML with `{{name}}` slots left in. */
  readonly html: string;
  /** The HTML with every `{{name}}` replaced by the HTML-escaped value of `values[name]`. */
  fill(values: Readonly<Record<string, string>>): string;
}

const PRECOMPILED: Readonly<Record<string, Readonly<Record<UiLang, string>>>> = {
  confirm: compiledConfirm.html,
};

/**
 * The transactional mail templates (templates/compiled/confirm.json), each filled with the site's
 * title and URL once per language for the life of the process. The digest's templates take the
 * same path through src/digest/templates.ts, which also cuts out their repeated item blocks.
 */
export class MjmlTemplates {
  private readonly cache = new Map<string, Promise<CompiledTemplate>>();

  constructor(private readonly site: TemplateSite) {}

  /** The compiled template `name` (templates/`<name>`.mjml) in `lang`. */
  compile(name: string, lang: UiLang): Promise<CompiledTemplate> {
    const cacheKey = `${name}/${lang}`;
    let template = this.cache.get(cacheKey);
    if (template === undefined) {
      const precompiled = Object.hasOwn(PRECOMPILED, name) ? PRECOMPILED[name]?.[lang] : undefined;
      if (precompiled === undefined)
        return Promise.reject(new TemplateError(`No template ${name}`));
      const html = fillSiteSlots(precompiled, siteSlotValues(this.site), escapeHtml);
      const slots = SlotTemplate.html(html);
      template = Promise.resolve({ html, fill: (values) => slots.fill(values) });
      this.cache.set(cacheKey, template);
    }
    return template;
  }
}
