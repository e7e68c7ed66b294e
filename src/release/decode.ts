import { ReleaseFormatError } from './format-error.js';
import { withoutXmlIllegal } from './xml-text.js';

/** Largest release file accepted, in bytes (1 MiB). */
export const MAX_RELEASE_BYTES = 1_048_576;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/** Bytes that Windows-1252 leaves undefined: a file containing them is not Windows-1252 text. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Share of control bytes (other than tab and line ends) above which a file is not text. */
const MAX_CONTROL_SHARE = 0.05;
/**
 * Share of bytes ≥ 0x80 above which a file that is not UTF-8 is taken for binary: Finnish or
 * Swedish text in Windows-1252 has well under 10 %, random binary data about 50 %.
 */
const MAX_HIGH_BYTE_SHARE = 0.3;
/** How much of the file the statistical checks look at. */
const SAMPLE_BYTES = 65_536;

interface Signature {
  kind: string;
  bytes: readonly number[];
  offset?: number;
}

const SIGNATURES: readonly Signature[] = [
  { kind: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { kind: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { kind: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { kind: 'WebP image', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { kind: 'old Word or Excel document', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: 'gzip archive', bytes: [0x1f, 0x8b] },
  { kind: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: 'RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
];

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const RTF_MAGIC = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf

/**
 * Decodes a release file's bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or legacy
 * Windows-1252. The text comes back NFC-normalized, without XML-illegal characters and with `\n`
 * line ends only, so line numbers still match the original file (CRLF and lone CR end one line).
 *
 * @throws {ReleaseFormatError} for empty, oversized, binary, mixed-encoding or damaged files.
 */
export function decodeRelease(bytes: Uint8Array): string {
  if (bytes.length > MAX_RELEASE_BYTES) {
    throw new ReleaseFormatError(
      `The file is ${formatSize(bytes.length)}; the limit is 1 MB (1,048,576 bytes). Move large content such as images out of the text and link to it.`,
    );
  }
  const clean = decodeBytes(bytes);
  if (clean.trim() === '') {
    throw new ReleaseFormatError(
      'The file is empty. Write the release as Markdown text (see docs/release-format.md).',
    );
  }
  return clean;
}

/**
 * Characters any step of {@link cleanText} (or the control-byte count) acts on: C0 and C1 controls,
 * CR, and everything from U+0300 up except general punctuation and currency signs (which covers
 * combining marks, surrogates, U+FFFD, U+FFFE and U+FFFF). Nearly every file has none of them, and
 * this one scan then stands for all those steps. tests/release/decode.test.ts checks every UTF-16
 * code unit against {@link cleanText}.
 */
const MAY_NEED_CLEANING =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0300-\u200F\u205F-\u209F\u20C1-\uFFFF\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Whether {@link cleanText} may change `text` or throw (`false`: it certainly does neither). */
export function mayNeedCleaning(text: string): boolean {
  return MAY_NEED_CLEANING.test(text);
}

/**
 * Decoded text as releases are read: `\n` line ends, NFC, no XML-illegal characters.
 *
 * @throws {ReleaseFormatError} when the text holds U+FFFD (damaged by an earlier conversion).
 */
export function cleanText(decoded: string): string {
  const text = normalizeLineEnds(decoded);
  const replacement = text.indexOf('\uFFFD');
  if (replacement !== -1) {
    throw new ReleaseFormatError(
      'This line contains the replacement character U+FFFD (a question mark in a black diamond): an earlier conversion damaged the text. Retype the damaged letters (often ä, ö or å) and save the file as UTF-8.',
      { line: lineAt(text, replacement) },
    );
  }
  return normalizeText(text);
}

function decodeBytes(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    throw new ReleaseFormatError(
      'The file is UTF-32 text, which is not supported: save it as UTF-8.',
    );
  }
  if (startsWith(bytes, [0xff, 0xfe])) return cleanText(decodeUtf16(UTF16LE, bytes));
  if (startsWith(bytes, [0xfe, 0xff])) return cleanText(decodeUtf16(UTF16BE, bytes));
  rejectBinarySignature(bytes);
  let text: string;
  try {
    // The fast path for nearly every file; the decoder drops a leading UTF-8 BOM.
    text = UTF8.decode(bytes);
  } catch {
    rejectNulAndControlBytes(bytes);
    return cleanText(decodeNonUtf8(bytes));
  }
  // UTF-8 text has a control character (NUL included) exactly where the file has a control byte:
  // text without any (and nothing else to clean) has none to look for or count.
  if (!MAY_NEED_CLEANING.test(text)) return text;
  rejectNulAndControlBytes(bytes);
  return cleanText(text);
}

function decodeUtf16(decoder: typeof UTF16LE, bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new ReleaseFormatError(
      'The file starts like UTF-16 text but is not valid UTF-16: save it as UTF-8.',
      {},
      { cause: error },
    );
  }
  if (text.includes('\0') || controlShare(text) > MAX_CONTROL_SHARE) {
    throw binaryFile();
  }
  return text;
}

/** Rejects files that start like a binary format (or RTF). */
function rejectBinarySignature(bytes: Uint8Array): void {
  const kind = signatureKind(bytes);
  if (kind !== undefined) throw binaryFile(kind);
  if (startsWith(bytes, RTF_MAGIC)) {
    throw new ReleaseFormatError(
      'This looks like an RTF document, not a Markdown text file: save it as plain text (.md) in UTF-8.',
    );
  }
}

/** Rejects a file with NUL bytes, or with too many control bytes in its sample to be text. */
function rejectNulAndControlBytes(bytes: Uint8Array): void {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw looksLikeUtf16WithoutBom(bytes)
      ? new ReleaseFormatError(
          'This looks like UTF-16 text without a byte-order mark, which cannot be read reliably: save the file as UTF-8.',
        )
      : binaryFile();
  }
  const sampleLength = Math.min(bytes.length, SAMPLE_BYTES);
  let controls = 0;
  for (let i = 0; i < sampleLength; i++) if (isControlByte(bytes[i] ?? 0)) controls++;
  if (controls / sampleLength > MAX_CONTROL_SHARE) throw binaryFile();
}

function decodeNonUtf8(bytes: Uint8Array): string {
  const scan = scanUtf8(bytes);
  if (scan.multibyte > 0) {
    throw new ReleaseFormatError(
      `Mixed encodings: line ${scan.invalidLine} is not UTF-8 although other lines are. Save the whole file as UTF-8 (and check the letters on that line).`,
      { line: scan.invalidLine },
    );
  }
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let high = 0;
  for (const byte of sample) if (byte >= 0x80) high++;
  if (high / sample.length > MAX_HIGH_BYTE_SHARE) {
    throw new ReleaseFormatError(
      'This does not look like text: it may be a binary file or use an unsupported encoding. Save the release as a Markdown text file in UTF-8.',
    );
  }
  const undefinedAt = bytes.findIndex((byte) => UNDEFINED_IN_1252.has(byte));
  if (undefinedAt !== -1) {
    const line = lineAtByte(bytes, undefinedAt);
    throw new ReleaseFormatError(
      `Line ${line} is neither UTF-8 nor Windows-1252 text: save the file as UTF-8.`,
      { line },
    );
  }
  return fromWindows1252(bytes);
}

/** Windows-1252's characters at 0x80–0x9F, where it differs from ISO-8859-1 (undefined: omitted). */
const WINDOWS_1252_HIGH: Record<string, string> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((char, index) => [
    String.fromCharCode(0x80 + index),
    char,
  ]),
);

function fromWindows1252(bytes: Uint8Array): string {
  // Node 20's 'windows-1252' decoder is really ISO-8859-1 (nodejs/node#56542): it turns € or –
  // into C1 control characters. Mapping what is left in 0x80–0x9F works with or without the fix.
  return WINDOWS_1252.decode(bytes).replace(
    /[\u0080-\u009f]/g,
    (char) => WINDOWS_1252_HIGH[char] ?? char,
  );
}

interface Utf8Scan {
  /** Valid multibyte sequences seen. */
  multibyte: number;
  /** 1-based line of the first byte that is not valid UTF-8. */
  invalidLine: number;
}

/** Walks the bytes as UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
function scanUtf8(bytes: Uint8Array): Utf8Scan {
  let multibyte = 0;
  let invalidAt = -1;
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      if (invalidAt === -1) invalidAt = i;
      i++;
      continue;
    }
    if (length > 1) multibyte++;
    i += length;
  }
  return { multibyte, invalidLine: invalidAt === -1 ? 1 : lineAtByte(bytes, invalidAt) };
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when there is none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const b1 = bytes[i + 1] ?? 0;
  const isCont = (b: number) => b >= 0x80 && b <= 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) return isCont(b1) ? 2 : 0;
  const b2 = bytes[i + 2] ?? 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const low = b0 === 0xe0 ? 0xa0 : 0x80;
    const high = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= low && b1 <= high && isCont(b2) ? 3 : 0;
  }
  const b3 = bytes[i + 3] ?? 0;
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const low = b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= low && b1 <= high && isCont(b2) && isCont(b3) ? 4 : 0;
  }
  return 0;
}

function signatureKind(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, ZIP_MAGIC)) return zipKind(bytes);
  return SIGNATURES.find((signature) => startsWith(bytes, signature.bytes, signature.offset))?.kind;
}

function zipKind(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString(
    'latin1',
  );
  if (head.includes('word/')) return 'Word document';
  if (head.includes('xl/')) return 'Excel workbook';
  if (head.includes('ppt/')) return 'PowerPoint presentation';
  if (head.includes('application/vnd.oasis.opendocument')) return 'OpenDocument file';
  return 'ZIP archive';
}

function binaryFile(kind?: string): ReleaseFormatError {
  const guess = kind === undefined ? '' : ` (${kind}?)`;
  return new ReleaseFormatError(
    `This looks like a binary file${guess}, not a Markdown text file. Upload the release as a .md text file in UTF-8.`,
  );
}

/** UTF-16 text without a BOM has a NUL in every other byte for Latin text. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  if (sample.length < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const pairs = sample.length / 2;
  return Math.max(evenNul, oddNul) > pairs * 0.6 && Math.min(evenNul, oddNul) < pairs * 0.05;
}

function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f;
}

function controlShare(text: string): number {
  const sample = text.slice(0, SAMPLE_BYTES);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (isControlByte(sample.charCodeAt(i))) controls++;
  }
  return sample.length === 0 ? 0 : controls / sample.length;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

/**
 * Text below U+0300 holds no combining marks, so it is already NFC; so is text that adds only
 * general punctuation (dashes, typographic quotes, ellipsis: U+2010–U+205E) and currency signs
 * (U+20A0–U+20C0), none of which NFC changes or composes. Without that, one `–` in a table would
 * send the whole text through `normalize`.
 */
const MAYBE_NOT_NFC = /[\u0300-\u200F\u205F-\u209F\u20C1-\uFFFF]/;

/** Whether `text` may change under NFC normalization (`false`: it certainly does not). */
export function mayNeedNfc(text: string): boolean {
  return MAYBE_NOT_NFC.test(text);
}

function normalizeText(text: string): string {
  const legal = withoutXmlIllegal(text);
  return mayNeedNfc(legal) ? legal.normalize('NFC') : legal;
}

/** CRLF and lone CR become LF; each still ends exactly one line. */
function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** 1-based line of a character offset in LF-normalized text. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based line of a byte offset; CRLF and lone CR end a line like LF does. */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

function formatSize(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`;
}
