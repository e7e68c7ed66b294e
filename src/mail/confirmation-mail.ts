import type { Clock, Mailer } from '../shared/ports.js';
import { interpolate, type UiLang, uiStrings } from '../shared/strings.js';
import type { SendConfirmation } from '../subscribers/types.js';
import { composeMail, type Mailbox } from './compose.js';
import type { TemplateSite } from './template-slots.js';
import type { MjmlTemplates } from './templates.js';

/** A rendered message, before MIME. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders the double opt-in mail (templates/confirm.mjml and its UI strings) for one link:
 * the HTML from the cached compiled template, the plain-text part from the same strings.
 */
export async function renderConfirmationMail(
  templates: MjmlTemplates,
  site: TemplateSite,
  lang: UiLang,
  confirmUrl: string,
): Promise<RenderedMail> {
  const template = await templates.compile('confirm', lang);
  const t = uiStrings(lang).mail.confirm;
  const fill = (text: string) => interpolate(text, { site: site.title, siteUrl: site.url });
  const text = [
    fill(t.heading),
    '',
    fill(t.intro),
    '',
    `${fill(t.button)}:`,
    confirmUrl,
    '',
    fill(t.expiry),
    '',
    fill(t.ignore),
    '',
    '-- ',
    fill(t.footer),
    `${site.url}/`,
    '',
  ].join('\n');
  return { subject: fill(t.subject), html: template.fill({ confirmUrl }), text };
}

export interface ConfirmationSenderOptions {
  templates: MjmlTemplates;
  site: TemplateSite;
  from: Mailbox;
  mailer: Mailer;
  clock: Clock;
}

/**
 * The {@link SendConfirmation} port the subscriptions API uses: renders, composes (transactional:
 * no list headers) and sends one confirmation mail.
 */
export function createConfirmationSender(options: ConfirmationSenderOptions): SendConfirmation {
  return async ({ to, lang, confirmUrl }) => {
    const rendered = await renderConfirmationMail(
      options.templates,
      options.site,
      lang,
      confirmUrl,
    );
    const { raw } = await composeMail({
      from: options.from,
      to,
      ...rendered,
      date: options.clock(),
    });
    await options.mailer.send({ raw, from: options.from.address, to: [to] });
  };
}
