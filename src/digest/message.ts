import type { ComposedMail, Mailbox, MailContent } from '../mail/compose.js';
import type { SiteConfig } from '../site/config.js';
import type { PersonalizedMail } from './render.js';
import type { DigestRecipient, MailKind } from './types.js';

/** Encodes a message as MIME (the mail module's `composeMail`; injectable for fault tests). */
export type ComposeMail = (content: MailContent) => Promise<ComposedMail>;

/**
 * The complete message for one recipient: one `To`, their subject and parts, and the list headers
 * providers require of bulk mail (`List-Unsubscribe` with their own token, RFC 8058 one-click
 * `List-Unsubscribe-Post`, and a `List-Id` per mail kind). The Message-ID is derived from the run
 * and the recipient, so if a crash makes a run send a message twice, mail clients that collapse
 * equal Message-IDs show it once.
 */
export function digestMailContent(options: {
  site: SiteConfig;
  from: Mailbox;
  kind: MailKind;
  runId: string;
  recipient: DigestRecipient;
  mail: PersonalizedMail;
  date: Date;
}): MailContent {
  const { site, from, kind, recipient, mail } = options;
  const host = new URL(site.siteUrl).hostname;
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  return {
    from,
    to: recipient.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: options.date,
    // Run ids are ours, but a Message-ID left part allows only atom characters and dots.
    messageId: `${options.runId.replace(/[^\w.-]/g, '-')}.${recipient.id}@${domain}`,
    list: {
      unsubscribeUrl: recipient.unsubscribeUrl,
      oneClick: true,
      id: { name: `${site.title} (${kind})`, id: `${kind}.${host}` },
    },
  };
}
