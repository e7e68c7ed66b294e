import { domainToASCII } from 'node:url';

/** Why an address was refused; each maps to a message residents can act on. */
type AddressProblem = 'empty' | 'too-long' | 'local-too-long' | 'syntax' | 'domain';

export type AddressResult = { ok: true; address: string } | { ok: false; problem: AddressProblem };

// RFC 5321 limits: 64 octets of local part, 254 for the whole forward path without brackets.
const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
// Dot-atom only (RFC 5322 atext): quoted local parts, comments and display names are legal in
// headers but are exactly what header-injection tricks hide in, and no resident needs them.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ENCODED_WORD = /=\?|\?=/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks and normalizes an email address typed by a resident: trims surrounding blanks, lowercases
 * it (so one mailbox has one record and one hash), converts an internationalized domain to its
 * ASCII (punycode) form. Refuses control characters (CR/LF and friends), display names, quoted
 * local parts, IP literals, and addresses over 254 characters or with a local part over 64.
 */
export function parseAddress(input: string): AddressResult {
  const trimmed = input.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '') return { ok: false, problem: 'empty' };
  // Check before any work so that huge inputs cost nothing.
  if (trimmed.length > MAX_ADDRESS) return { ok: false, problem: 'too-long' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, problem: 'syntax' };
  const local = trimmed.slice(0, at).toLowerCase();
  const rawDomain = trimmed.slice(at + 1);
  if (local.length > MAX_LOCAL) return { ok: false, problem: 'local-too-long' };
  if (!LOCAL_PART.test(local)) return { ok: false, problem: 'syntax' };
  // An RFC 2047 encoded word is legal atext, but mail software decodes it in headers into
  // whatever it hides (another address, a display name, a line break).
  if (ENCODED_WORD.test(local)) return { ok: false, problem: 'syntax' };
  const domain = asciiDomain(rawDomain);
  if (domain === undefined) return { ok: false, problem: 'domain' };
  const address = `${local}@${domain}`;
  if (address.length > MAX_ADDRESS) return { ok: false, problem: 'too-long' };
  return { ok: true, address };
}

function asciiDomain(raw: string): string | undefined {
  // domainToASCII would map some of these to something valid; a resident never types them.
  if (/[\s\p{Cc}\p{Cf}[\]@]/u.test(raw)) return undefined;
  const ascii = domainToASCII(raw.normalize('NFC')).toLowerCase().replace(/\.$/, '');
  if (ascii === '') return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  const tld = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(tld)) return undefined;
  return ascii;
}
