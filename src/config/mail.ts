import type { Mailbox } from '../mail/compose.js';
import { parseMailbox } from '../mail/mailbox.js';
import { MIN_SECRET_BYTES } from '../subscribers/keys.js';
import type { EnvReader } from './env-reader.js';
import { parsedBy, secretOfAtLeast } from './variables.js';

/*
 * The variables every function that mails residents or staff shares, declared once with their
 * rules: TOKEN_SECRET and MAIL_FROM.
 */

const tokenSecret = secretOfAtLeast(MIN_SECRET_BYTES);

const mailbox = parsedBy(
  parseMailbox,
  'must be one sender address such as "Esimerkkilä <uutiset@esimerkkila.fi>"',
);

/** `TOKEN_SECRET` (required): signs tokens and keys address hashes; never echoed in a problem. */
export function readTokenSecret(reader: EnvReader): string {
  return reader.requiredAs('TOKEN_SECRET', tokenSecret, '', { secret: true });
}

/** `MAIL_FROM` (required): the sender of every mail, `Name <address>` or a bare address. */
export function readMailFrom(reader: EnvReader): Mailbox {
  return reader.requiredAs('MAIL_FROM', mailbox, { address: '' });
}
