import { describe, expect, it } from 'vitest';
import {
  cleanText,
  decodeRelease,
  MAX_RELEASE_BYTES,
  mayNeedCleaning,
  mayNeedNfc,
} from '../../src/release/decode.js';
import { fixture, parseOk, parseProblem } from './support.js';

const TITLE = 'Hyvää päivää, Öljysäiliön käyttäjät';
const FIRST_PARAGRAPH =
  'Öljysäiliöiden tarkastus alkaa elokuussa. Tämä koskee kaikkia pientaloja – myös vapaa-ajan asuntoja.';

describe('decoding release files', () => {
  it.each([
    'good/utf8-bom-crlf.md',
    'good/lone-cr.md',
    'good/utf16le-bom.md',
    'good/utf16be-bom.md',
    'good/windows-1252-fi.md',
  ])('reads %s to exactly the same text', (file) => {
    const release = parseOk(fixture(file));
    expect(release.title).toBe(TITLE);
    expect(release.summary).toBe(FIRST_PARAGRAPH);
    expect(release.contentHtml).toBe(`<p>${FIRST_PARAGRAPH}</p>\n`);
    expect(release.published.toISOString()).toBe('2025-08-12T10:00:00.000Z');
  });

  it('decodes Windows-1252 ä, ö and the en dash exactly (no mojibake, no U+FFFD)', () => {
    const bytes = fixture('good/windows-1252-fi.md');
    expect(bytes).toContain(0xe4); // ä in Windows-1252
    expect(bytes).toContain(0x96); // – in Windows-1252
    const release = parseOk(bytes);
    const text = `${release.title} ${release.contentHtml}`;
    expect(text).toContain('Hyvää päivää');
    expect(text).toContain('Öljysäiliöiden');
    expect(text).toContain('pientaloja – myös');
    expect(text).not.toMatch(/Ã|Â|\uFFFD/);
  });

  it('keeps line numbers of the original file with CRLF line ends', () => {
    const crlf = '---\r\ntitle: T\r\n\r\ndate: 31.2.2021\r\n---\r\n\r\nTeksti.\r\n';
    expect(parseProblem(crlf)).toMatchObject({ line: 4, field: 'date' });
  });

  it('keeps line numbers of the original file with lone CR line ends', () => {
    const cr = '---\rtitle: T\r\rdate: 31.2.2021\r---\r\rTeksti.\r';
    expect(parseProblem(cr)).toMatchObject({ line: 4, field: 'date' });
  });

  it('never lets CR survive into the HTML', () => {
    const release = parseOk(
      '---\r\ntitle: T\r\ndate: 2025-02-03\r\n---\r\n\r\nRivi 1\r\nRivi 2\r\n',
    );
    expect(release.contentHtml).toBe('<p>Rivi 1\nRivi 2</p>\n');
  });

  it('rejects a file mixing UTF-8 and other bytes, naming the first bad line', () => {
    const problem = parseProblem(fixture('bad/mixed-encoding.md'));
    expect(problem.line).toBe(9);
    expect(problem.message).toContain('ixed encodings: line 9 is not UTF-8');
  });

  it('counts CRLF as one line end when naming the mixed-encoding line', () => {
    const bytes = Buffer.concat([
      Buffer.from('---\r\ntitle: Ä\r\ndate: 2025-02-03\r\n---\r\n'),
      Buffer.from([0x41, 0xe4, 0x0d, 0x0a]),
    ]);
    expect(parseProblem(bytes).line).toBe(5);
  });

  it('rejects bytes that are neither UTF-8 nor Windows-1252', () => {
    const problem = parseProblem(fixture('bad/undefined-1252-byte.md'));
    expect(problem).toMatchObject({ line: 6 });
    expect(problem.message).toContain('neither UTF-8 nor Windows-1252');
  });

  it.each([
    ['bad/pdf-magic.md', '(PDF?)'],
    ['bad/png-magic.md', '(PNG image?)'],
    ['bad/docx-magic.md', '(Word document?)'],
    ['bad/nul-bytes.md', 'binary file, not'],
    ['bad/control-heavy.md', 'binary file, not'],
  ])('rejects the binary file %s', (file, kind) => {
    const problem = parseProblem(fixture(file));
    expect(problem.message).toContain(`This looks like a binary file`);
    expect(problem.message).toContain(kind);
    expect(problem.message).toContain('not a Markdown text file');
  });

  it.each([
    [[0xff, 0xd8, 0xff, 0xe0, 1, 2], 'JPEG image'],
    [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 'GIF image'],
    [[0x1f, 0x8b, 8, 0], 'gzip archive'],
    [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'old Word or Excel document'],
    [[0x50, 0x4b, 0x03, 0x04, 0, 0], 'ZIP archive'],
  ])('names the kind of binary file from its magic number (%j)', (bytes, kind) => {
    expect(parseProblem(new Uint8Array(bytes)).message).toContain(`(${kind}?)`);
  });

  it('says an RTF document is not Markdown', () => {
    expect(parseProblem('{\\rtf1\\ansi Tiedote}').message).toContain('RTF document');
  });

  it('explains UTF-16 without a byte-order mark', () => {
    expect(parseProblem(fixture('bad/utf16le-without-bom.md')).message).toContain(
      'UTF-16 text without a byte-order mark',
    );
  });

  it('rejects invalid UTF-16 after a BOM', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8]); // lone high surrogate
    expect(parseProblem(bytes).message).toContain('not valid UTF-16');
  });

  it('rejects UTF-32', () => {
    expect(parseProblem(new Uint8Array([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0])).message).toContain(
      'UTF-32',
    );
  });

  it('rejects random high bytes as not text', () => {
    // Lead bytes only (no continuation bytes), so no valid UTF-8 sequence can appear.
    const bytes = new Uint8Array(200).map((_, i) => 0xc0 + ((i * 37) % 64));
    expect(parseProblem(bytes).message).toContain('does not look like text');
  });

  it.each([
    ['an empty file', ''],
    ['whitespace only', ' \n\t\r\n\u00a0 \n'],
    ['a BOM only', '\ufeff'],
    ['a few control characters among spaces', `${' '.repeat(40)}\u000b\n\u000c${' '.repeat(40)}`],
  ])('rejects %s as empty', (_, text) => {
    expect(parseProblem(text).message).toContain('The file is empty');
  });

  it('rejects a file over 1 MB, stating the limit', () => {
    const bytes = new Uint8Array(MAX_RELEASE_BYTES + 1).fill(0x61);
    const problem = parseProblem(bytes);
    expect(problem.message).toContain('the limit is 1 MB (1,048,576 bytes)');
    expect(problem.message).toContain('1,048,577 bytes');
  });

  it('accepts a file of exactly 1 MB', () => {
    const head = new TextEncoder().encode('---\ntitle: Iso\ndate: 2025-02-03\n---\n\n');
    const bytes = new Uint8Array(MAX_RELEASE_BYTES).fill(0x61);
    bytes.set(head);
    expect(parseOk(bytes).title).toBe('Iso');
  });

  it('rejects text carrying U+FFFD from an earlier broken conversion, naming the line', () => {
    expect(parseProblem(fixture('bad/replacement-char.md'))).toMatchObject({ line: 6 });
  });

  it('removes XML-illegal control characters from every field and the HTML', () => {
    const release = parseOk(fixture('good/control-characters.md'));
    expect(release.title).toBe('Ohjausmerkit poistetaan');
    expect(release.contentHtml).toBe('<p>Teksti ja lisää.</p>\n');
  });

  it('skips NFC only for text NFC leaves alone: every pair of the characters it skips for', () => {
    const skipped: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (code < 0xd800 || code > 0xdfff) {
        if (!mayNeedNfc(char)) skipped.push(char);
      }
    }
    // Latin up to U+02FF, general punctuation and currency signs; not the combining marks.
    expect(skipped.length).toBe(0x300 + (0x205e - 0x2010 + 1) + (0x20c0 - 0x20a0 + 1));
    expect(mayNeedNfc('a\u0301')).toBe(true);
    expect(mayNeedNfc('\u2126')).toBe(true); // OHM SIGN, which NFC turns into Ω
    const beyondLatin = skipped.filter((char) => char >= '\u0300');
    const changed: string[] = [];
    for (const first of skipped) {
      for (const pair of beyondLatin.flatMap((other) => [first + other, other + first])) {
        if (pair.normalize('NFC') !== pair) changed.push(pair);
      }
    }
    expect(changed).toEqual([]);
  });

  it('normalizes decomposed (NFD) text to NFC', () => {
    const nfd = '---\ntitle: Pa\u0308iva\u0308\ndate: 2025-02-03\n---\n\nTeksti\n'.normalize('NFD');
    expect(parseOk(nfd).title).toBe('Päivä');
  });

  it('skips cleaning only text that cleaning would leave as it is, for every UTF-16 code unit', () => {
    const wrong: number[] = [];
    let skipped = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}b`;
      if (mayNeedCleaning(text)) continue;
      skipped++;
      // A control byte in UTF-8 is the same control character: none may be skipped.
      const control =
        (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
      if (control || mayNeedNfc(text) || cleanText(text) !== text) wrong.push(code);
    }
    expect(wrong).toEqual([]);
    // Tab, LF, printable ASCII, Latin-1 letters up to U+02FF, general punctuation, currency signs.
    expect(skipped).toBe(2 + 95 + (0x300 - 0xa0) + (0x205e - 0x2010 + 1) + (0x20c0 - 0x20a0 + 1));
  });

  it('cleans what the one scan finds: CR, control and C1 characters, NFD, U+FFFD', () => {
    const decode = (text: string) => decodeRelease(new TextEncoder().encode(text));
    const words = 'sanoja '.repeat(10);
    expect(decode(`a\r\nb\rc\u0001d\u0085e ${words}`)).toBe(`a\nb\ncde ${words}`);
    expect(decode('Pa\u0308iva\u0308 \u{1F600}')).toBe('Päivä \u{1F600}');
    expect(() => decode('a\n\uFFFD')).toThrow(/U\+FFFD/);
    // One control byte in twenty is too many for text, even when it is valid UTF-8.
    expect(() => decode('abcdefghi\u0001'.repeat(3))).toThrow(/binary file/);
  });
});
