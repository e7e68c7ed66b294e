import addressparser from 'nodemailer/lib/addressparser';
import type { Mailbox } from './compose.js';

/** A configured sender address cannot be used. */
class InvalidMailboxError extends Error {
  override readonly name = 'InvalidMailboxError';
}

/**
 * Reads a sender such as `Esimerkkilä <uutiset@esimerkkila.fi>` (MAIL_FROM) into a
 * {@link Mailbox}, with nodemailer's address parser.
 *
 * @throws {InvalidMailboxError} unless the text names exactly one address.
 */
export function parseMailbox(text: string): Mailbox {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters.
  if (/[\u0000-\u001f\u007f]/.test(text))
    throw new InvalidMailboxError('Control character in sender');
  const parsed = addressparser(text, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || first === undefined || !/^[^@\s]+@[^@\s]+$/.test(first.address)) {
    throw new InvalidMailboxError('The sender must be one address, e.g. "Name <news@example.fi>"');
  }
  return first.name ? { name: first.name, address: first.address } : { address: first.address };
}
