import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWords } from 'nodemailer/lib/mime-funcs';

/** A mail header would have carried something that does not belong in a header. */
export class MailHeaderError extends Error {
  override readonly name = 'MailHeaderError';
}

/** An address with an optional display name. */
export interface Mailbox {
  name?: string;
  address: string;
}

/** Mailing-list headers (RFC 2369, RFC 2919, RFC 8058) for list mail such as digests. */
export interface ListHeaders {
  /** HTTPS URL that unsubscribes: `List-Unsubscribe`. */
  unsubscribeUrl: string;
  /** Adds `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: the URL unsubscribes on POST. */
  oneClick: boolean;
  /** `List-Id`: a display name and a dotted identifier, e.g. `releases.example.fi`. */
  id?: { name: string; id: string };
}

export interface MailContent {
  from: Mailbox;
  /** One recipient, a normalized address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `Date` header; pass the clock's time. */
  date: Date;
  /** Message-ID without angle brackets; a random one at the From domain when omitted. */
  messageId?: string;
  /** Only for list mail: transactional mail (a confirmation request) has none. */
  list?: ListHeaders;
}

export interface ComposedMail {
  /** The RFC 5322 message. */
  raw: Uint8Array;
  /** Message-ID, with angle brackets. */
  messageId: string;
}

// Header text from configuration or templates: control characters (CR/LF above all) become
// spaces, so nothing can start a new header; non-ASCII is then RFC 2047-encoded by nodemailer.
function headerText(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

// Mailbox addresses come from the subscriber store or configuration and are never repaired:
// anything unexpected is a bug upstream.
const PLAIN_ADDRESS = /^[^\s<>(),;:"\\[\]@]+@[^\s<>(),;:"\\[\]@]+$/;

function checkedAddress(address: string): string {
  if (!PLAIN_ADDRESS.test(address)) throw new MailHeaderError('Not a plain email address');
  return address;
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new MailHeaderError('List-Unsubscribe URL is not a URL', { cause: error });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new MailHeaderError('List-Unsubscribe URL must be http(s)');
  }
  return parsed.href;
}

function listIdHeader(id: { name: string; id: string }): string {
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(id.id)) {
    throw new MailHeaderError('List-Id identifier must be a dotted name');
  }
  const name = headerText(id.name);
  const phrase = /^[\x20-\x7e]*$/.test(name)
    ? `"${name.replace(/["\\]/g, '\\$&')}"`
    : encodeWords(name, 'Q', 52);
  return `${phrase} <${id.id}>`;
}

/**
 * Builds a complete MIME message (multipart/alternative, text and HTML) with nodemailer's
 * MailComposer: From with display name, RFC 2047-encoded subject, Message-ID, Date, and, for list
 * mail, `List-Unsubscribe`, `List-Unsubscribe-Post` and `List-Id`.
 *
 * @throws {MailHeaderError} when an address or URL could inject headers.
 */
export async function composeMail(content: MailContent): Promise<ComposedMail> {
  const from = checkedAddress(content.from.address);
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const messageId = `<${content.messageId ?? `${randomUUID()}@${domain}`}>`;
  if (!PLAIN_ADDRESS.test(messageId.slice(1, -1))) throw new MailHeaderError('Bad Message-ID');
  const headers: Record<string, { prepared: true; value: string }> = {};
  if (content.list) {
    headers['List-Unsubscribe'] = {
      prepared: true,
      value: `<${checkedUrl(content.list.unsubscribeUrl)}>`,
    };
    if (content.list.oneClick) {
      headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' };
    }
    if (content.list.id)
      headers['List-Id'] = { prepared: true, value: listIdHeader(content.list.id) };
  }
  const composer = new MailComposer({
    from: { name: headerText(content.from.name ?? ''), address: from },
    to: checkedAddress(content.to),
    subject: headerText(content.subject),
    text: content.text,
    html: content.html,
    date: content.date,
    messageId,
    headers,
  });
  const raw = await composer.compile().build();
  return { raw: new Uint8Array(raw), messageId };
}
