import { randomBytes, randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import {
  base64LinesLength,
  encodedWords,
  foldHeader,
  headerTokens,
  isPlainHeaderText,
  quotedPrintableBound,
  rfc5322Date,
  writeBase64Lines,
  writeQuotedPrintable,
} from './mime.js';

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
interface ListHeaders {
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
// spaces, so nothing can start a new header; non-ASCII is then RFC 2047-encoded.
function headerText(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

// Mailbox addresses come from the subscriber store or configuration and are never repaired:
// anything unexpected is a bug upstream. ASCII only (domains arrive in punycode), so every header
// stays 7-bit.
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/;

function checkedAddress(address: string): string {
  const at = address.lastIndexOf('@');
  // A configured sender may name an internationalized domain (MAIL_FROM); headers carry punycode.
  const ascii = `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1))}`;
  if (at < 1 || !PLAIN_ADDRESS.test(ascii)) throw new MailHeaderError('Not a plain email address');
  return ascii;
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
  // href is percent-encoded ASCII: no space, no '>' that could end the angle brackets early.
  return parsed.href;
}

// A display name (From, List-Id): a quoted string when it is short printable ASCII, else encoded
// words (RFC 2047 §5(3): allowed in a phrase).
function phraseTokens(name: string): string[] {
  const text = headerText(name);
  if (text === '') return [];
  if (isPlainHeaderText(text) && text.length <= 60) return [`"${text.replace(/["\\]/g, '\\$&')}"`];
  return encodedWords(text);
}

function listIdHeader(id: { name: string; id: string }): string {
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(id.id)) {
    throw new MailHeaderError('List-Id identifier must be a dotted name');
  }
  return foldHeader('List-Id', [...phraseTokens(id.name), `<${id.id}>`]);
}

function headerBlock(content: MailContent, from: string, messageId: string, boundary: string) {
  const fromName = phraseTokens(content.from.name ?? '');
  const lines = [
    foldHeader('From', fromName.length > 0 ? [...fromName, `<${from}>`] : [from]),
    `To: ${checkedAddress(content.to)}`,
    foldHeader('Subject', headerTokens(headerText(content.subject))),
    `Message-ID: ${messageId}`,
    `Date: ${rfc5322Date(content.date)}`,
    'MIME-Version: 1.0',
  ];
  if (content.list) {
    lines.push(`List-Unsubscribe: <${checkedUrl(content.list.unsubscribeUrl)}>`);
    if (content.list.oneClick) lines.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    if (content.list.id) lines.push(listIdHeader(content.list.id));
  }
  lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

// One buffer per process, reused by every message (writeMail is synchronous, so nothing
// interleaves); each message is copied out at its exact size.
let scratch = Buffer.allocUnsafe(1 << 20);

function scratchFor(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(bytes);
  return scratch;
}

// Writes one body part (its boundary line, headers and body) and returns the end position.
// Quoted-printable suits mostly-ASCII text (Finnish, Swedish, English: smaller and readable);
// when it comes out larger than base64 would (mostly non-Latin text), the part is rewritten as base64.
function writePart(
  type: 'plain' | 'html',
  text: string,
  boundary: string,
  out: Buffer,
  start: number,
) {
  const head = (encoding: string) =>
    `--${boundary}\r\nContent-Type: text/${type}; charset=utf-8\r\n` +
    `Content-Transfer-Encoding: ${encoding}\r\n\r\n`;
  let at = start + out.write(head('quoted-printable'), start, 'latin1');
  const end = writeQuotedPrintable(text, out, at);
  // Text in MIME has CRLF line breaks (RFC 2046 §4.1.1); quoted-printable writes them itself.
  const utf8 = Buffer.byteLength(text, 'utf8');
  if (end - at <= base64LinesLength(utf8) + 16) return end;
  at = start + out.write(head('base64'), start, 'latin1');
  return writeBase64Lines(Buffer.from(text.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8'), out, at);
}

/**
 * Writes a complete MIME message of the one shape our mail has: multipart/alternative with a
 * UTF-8 text part and an HTML part (each quoted-printable, or base64 when that is smaller), From
 * with display name, RFC 2047-encoded subject, Message-ID, Date, and, for list mail,
 * `List-Unsubscribe`, `List-Unsubscribe-Post` (RFC 8058) and `List-Id`. 7-bit clean; header lines
 * folded to 78 characters where their tokens allow. The boundary starts with `=_`, which neither
 * quoted-printable nor base64 output can contain, so no body can end a part early.
 *
 * @throws {MailHeaderError} when an address or URL could inject headers.
 */
export function writeMail(content: MailContent): ComposedMail {
  const from = checkedAddress(content.from.address);
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const messageId = `<${content.messageId ?? `${randomUUID()}@${domain}`}>`;
  if (!PLAIN_ADDRESS.test(messageId.slice(1, -1))) throw new MailHeaderError('Bad Message-ID');
  const boundary = `=_${randomBytes(12).toString('hex')}`;
  const headers = headerBlock(content, from, messageId, boundary);
  const out = scratchFor(
    headers.length +
      quotedPrintableBound(content.text) +
      quotedPrintableBound(content.html) +
      4 * boundary.length +
      256,
  );
  let at = out.write(headers, 0, 'latin1');
  at = writePart('plain', content.text, boundary, out, at);
  at += out.write('\r\n', at, 'latin1');
  at = writePart('html', content.html, boundary, out, at);
  at += out.write(`\r\n--${boundary}--\r\n`, at, 'latin1');
  const raw = new Uint8Array(at);
  raw.set(out.subarray(0, at));
  return { raw, messageId };
}

/**
 * {@link writeMail} behind the asynchronous signature the senders (digest, confirmation, staff
 * mail) and their fault-injecting test doubles share.
 *
 * @throws {MailHeaderError} when an address or URL could inject headers.
 */
export async function composeMail(content: MailContent): Promise<ComposedMail> {
  return writeMail(content);
}
