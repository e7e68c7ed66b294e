import { composeMail, type Mailbox } from '../mail/compose.js';
import type { Release } from '../release/types.js';
import type { SiteConfig } from '../site/config.js';
import type { Subscriber } from '../subscribers/types.js';
import { digestMailContent } from './message.js';
import { type PersonalizedMail, personalize, prepareIssue, releasesFor } from './render.js';
import { toRecipient } from './roster.js';
import type { CompiledVariant } from './templates.js';
import type { DigestRecipient, Lang, MailKind } from './types.js';

/** The address previews are made out to. */
const PREVIEW_ADDRESS = 'subscriber@example.org';

/** What a preview needs: the compiled templates and the site, as a mail run has them. */
export interface PreviewOptions {
  variants: { variant(kind: MailKind, lang: Lang): Promise<CompiledVariant> };
  site: SiteConfig;
  from: Mailbox;
  kind: MailKind;
  /** The subscriber's language: of the mail's words and of the releases they get. */
  lang: Lang;
  /** Every release of the run (all languages and categories). */
  releases: readonly Release[];
  /** The instant the run is for (a digest's slot; a release's date for immediate mail). */
  slot: Date;
  /** The message's Date header. */
  date: Date;
  runId: string;
}

/** One subscriber's mail as a preview shows it: their releases, the parts, the MIME message. */
export interface SubscriberMailPreview {
  recipient: DigestRecipient;
  /** The releases this subscriber gets, newest first. */
  releases: Release[];
  mail: PersonalizedMail;
  raw: Uint8Array;
}

/**
 * The mail a subscriber of every category in `lang` would get from a run of `releases`, through
 * the same selection ({@link releasesFor} with the roster's {@link toRecipient}), templates and
 * MIME encoding as the real run; `undefined` when that subscriber would get nothing. Used by the
 * CLI's `digest` and `preview` commands (and reusable for a private preview of a draft).
 */
export async function previewSubscriberMail(
  options: PreviewOptions,
): Promise<SubscriberMailPreview | undefined> {
  const recipient = previewRecipient(options.site.siteUrl, options.lang, options.kind);
  const releases = releasesFor(recipient, options.releases);
  if (releases.length === 0) return undefined;
  const variant = await options.variants.variant(options.kind, options.lang);
  const issue = prepareIssue(variant, options.releases, options.site, options.slot);
  const mail = personalize(issue, recipient, releases);
  const { raw } = await composeMail(
    digestMailContent({
      site: options.site,
      from: options.from,
      kind: options.kind,
      runId: options.runId,
      recipient,
      mail,
      date: options.date,
    }),
  );
  return { recipient, releases, mail, raw };
}

/** A confirmed subscriber of every category in `lang`, turned into a recipient by the roster's rule. */
function previewRecipient(siteUrl: string, lang: Lang, frequency: MailKind): DigestRecipient {
  const subscriber: Subscriber = {
    id: 'preview',
    address: PREVIEW_ADDRESS,
    addressHash: 'preview',
    lang,
    categories: [],
    frequency,
    consent: {
      requestedAt: '1970-01-01T00:00:00.000Z',
      ip: '192.0.2.0',
      userAgent: 'preview',
      channel: 'json',
      lang,
    },
    updatedAt: '1970-01-01T00:00:00.000Z',
  };
  return toRecipient(subscriber, () => ({
    unsubscribeUrl: `${siteUrl}/api/unsubscribe?token=preview`,
    preferencesUrl: `${siteUrl}/api/preferences?token=preview`,
  }));
}
