/**
 * The encoders a MIME writer needs for UTF-8 text in 7-bit mail: quoted-printable and base64 bodies
 * (RFC 2045), RFC 2047 encoded words for header text, and header folding (RFC 5322). Bodies are
 * written straight from the string into a caller's buffer: no intermediate copies.
 */

const CRLF = '\r\n';
/** RFC 2045: an encoded line is at most 76 characters, a soft line break's `=` included. */
const QP_LINE = 76;
const HEX = '0123456789ABCDEF';
const HEX_BYTES = Buffer.from(HEX, 'latin1');

// ASCII classes for quoted-printable: what each character becomes.
const LITERAL = 0;
const ESCAPE = 1;
const BLANK = 2; // space or tab: literal, unless it ends a line
const QP_CLASS = new Uint8Array(128).fill(ESCAPE);
for (let code = 33; code <= 126; code++) QP_CLASS[code] = LITERAL;
QP_CLASS[0x3d] = ESCAPE; // '='
QP_CLASS[0x20] = BLANK;
QP_CLASS[0x09] = BLANK;

/** The most bytes {@link writeQuotedPrintable} can write for `text`: 9 per UTF-16 unit, plus breaks. */
export function quotedPrintableBound(text: string): number {
  return text.length * 9 + Math.ceil(text.length / 8) * 3 + 2;
}

function endsLine(text: string, next: number): boolean {
  if (next >= text.length) return true;
  const code = text.charCodeAt(next);
  return code === 0x0a || code === 0x0d;
}

/**
 * Writes `text`, encoded as UTF-8, as quoted-printable into `out` from `start` and returns the
 * position after it; `out` must hold {@link quotedPrintableBound} bytes. A line break in the text
 * (LF, CRLF or a lone CR) becomes a CRLF hard break; a line longer than 76 characters gets soft
 * breaks that never split an `=XX` escape or a character's escapes; a space or tab before a line
 * break is escaped so it survives transport. A lone surrogate is written as U+FFFD, as
 * `Buffer.from` would. Reads the string directly: no UTF-8 copy of it is made.
 */
export function writeQuotedPrintable(text: string, out: Uint8Array, start: number): number {
  let at = start;
  let column = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    // The common case first: a printable ASCII character well inside the line.
    if (code < 0x80 && QP_CLASS[code] === LITERAL && column < QP_LINE - 1) {
      out[at++] = code;
      column++;
      continue;
    }
    if (code === 0x0a || code === 0x0d) {
      if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      out[at++] = 0x0d;
      out[at++] = 0x0a;
      column = 0;
      continue;
    }
    let point = code;
    let units = 1;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        units = 2;
      } else point = 0xfffd;
    } else if (code >= 0xdc00 && code <= 0xdfff) point = 0xfffd;
    const lineEnds = endsLine(text, i + units);
    const literal =
      code < 0x80 && (QP_CLASS[code] === LITERAL || (QP_CLASS[code] === BLANK && !lineEnds));
    const bytes = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    const width = literal ? 1 : bytes * 3;
    // Leave room for a soft break's '=' unless this character ends the line.
    if (column + width > (lineEnds ? QP_LINE : QP_LINE - 1)) {
      out[at++] = 0x3d;
      out[at++] = 0x0d;
      out[at++] = 0x0a;
      column = 0;
    }
    if (literal) out[at++] = code;
    else at = writeEscapedUtf8(point, bytes, out, at);
    column += width;
    i += units - 1;
  }
  return at;
}

function writeEscape(byte: number, out: Uint8Array, at: number): number {
  out[at] = 0x3d;
  out[at + 1] = HEX_BYTES[byte >> 4] as number;
  out[at + 2] = HEX_BYTES[byte & 15] as number;
  return at + 3;
}

function writeEscapedUtf8(point: number, bytes: number, out: Uint8Array, start: number): number {
  if (bytes === 1) return writeEscape(point, out, start);
  let at = start;
  if (bytes === 2) at = writeEscape(0xc0 | (point >> 6), out, at);
  else if (bytes === 3) at = writeEscape(0xe0 | (point >> 12), out, at);
  else {
    at = writeEscape(0xf0 | (point >> 18), out, at);
    at = writeEscape(0x80 | ((point >> 12) & 63), out, at);
  }
  if (bytes >= 3) at = writeEscape(0x80 | ((point >> 6) & 63), out, at);
  return writeEscape(0x80 | (point & 63), out, at);
}

/** `text` as quoted-printable bytes (see {@link writeQuotedPrintable}). */
export function quotedPrintable(text: string): Buffer {
  const out = Buffer.allocUnsafe(quotedPrintableBound(text));
  return out.subarray(0, writeQuotedPrintable(text, out, 0));
}

/** The number of base64 bytes, CRLF line breaks included, for `byteLength` bytes of input. */
export function base64LinesLength(byteLength: number): number {
  const flat = Math.ceil(byteLength / 3) * 4;
  return flat + Math.max(0, Math.ceil(flat / QP_LINE) - 1) * 2;
}

/** Writes bytes as base64 in lines of 76 characters joined by CRLF; returns the end position. */
export function writeBase64Lines(input: Buffer, out: Buffer, start: number): number {
  const flat = input.toString('base64');
  let at = start;
  for (let from = 0; from < flat.length; from += QP_LINE) {
    if (from > 0) {
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
    at += out.write(flat.slice(from, from + QP_LINE), at, 'latin1');
  }
  return at;
}

// Q encoding (RFC 2047 §4.2) keeps letters, digits and a few safe symbols literal; the rest,
// '_', '=', '?' and every non-ASCII byte become =XX, and a space becomes '_'.
const Q_SAFE = /^[A-Za-z0-9!*+\-/]$/;
/** An encoded word is at most 75 characters; 60 leaves room for `Subject: ` on the first line. */
const MAX_WORD = 60;
const WORD_OVERHEAD = '=?UTF-8?Q??='.length;

function qChar(char: string): string {
  if (char === ' ') return '_';
  if (Q_SAFE.test(char)) return char;
  let encoded = '';
  for (const byte of Buffer.from(char, 'utf8')) encoded += `=${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return encoded;
}

/**
 * Encodes header text as RFC 2047 `Q` encoded words of at most 60 characters each, split between
 * whole characters (a multi-byte character is never cut), returned as separate words for
 * {@link foldHeader} to put on lines of their own.
 */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  for (const char of text) {
    const encoded = qChar(char);
    if (current.length + encoded.length + WORD_OVERHEAD > MAX_WORD && current !== '') {
      words.push(`=?UTF-8?Q?${current}?=`);
      current = '';
    }
    current += encoded;
  }
  if (current !== '') words.push(`=?UTF-8?Q?${current}?=`);
  return words;
}

/**
 * Whether text can go into a header as it is: printable ASCII with single spaces, no word that
 * looks like an encoded word, and no word too long to fold.
 */
export function isPlainHeaderText(text: string): boolean {
  return (
    /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(text) && !text.includes('=?') && !/\S{70}/.test(text)
  );
}

/**
 * Writes `Name: value` folded (RFC 5322 §2.2.3) so that lines stay within 78 characters where
 * the tokens allow: `tokens` are joined by spaces, and a fold (CRLF and a space) replaces the
 * space before a token that would not fit.
 */
export function foldHeader(name: string, tokens: readonly string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const token of tokens) {
    if (lineLength + 1 + token.length > 78 && lineLength > name.length + 1) {
      out += `${CRLF} ${token}`;
      lineLength = 1 + token.length;
    } else {
      out += ` ${token}`;
      lineLength += 1 + token.length;
    }
  }
  return out;
}

/**
 * Header text as tokens for {@link foldHeader}: plain ASCII words as they are, anything else as
 * encoded words.
 */
export function headerTokens(text: string): string[] {
  if (text === '') return [];
  return isPlainHeaderText(text) ? text.split(' ') : encodedWords(text);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** An RFC 5322 date-time in UTC, e.g. `Sat, 01 Mar 2025 10:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} +0000`
  );
}
