import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, renderMarkdown } from '../../src/release/markdown.js';
import { isCanonicalHttpUrl, resolveUrl } from '../../src/release/urls.js';

// markdown-it as it comes, with our options: the reference for the fast path on plain URLs.
const stock = new MarkdownIt({ html: true, linkify: false, typographer: false, xhtmlOut: true });

const urlPiece = fc.constantFrom(
  'https://',
  'http://',
  'HTTPS://',
  'mailto:',
  'javascript:',
  'data:',
  '//',
  'www.Example.FI',
  'hel.fi',
  'xn--4ca',
  'a-b',
  ':8080',
  'user:pw@',
  '@',
  '/',
  '?',
  '#',
  '%',
  '%41',
  '%zz',
  '[',
  ']',
  '\\',
  '|',
  '^',
  '(',
  ')',
  '&amp;',
  '=',
  ';',
  'ä',
  'Å',
  'ÿ',
  'ɏ',
  'Ḁ',
  '\u00A0',
  '\u00BF',
  '\u2003',
  '\u3000',
  '\uFEFF',
  '😀',
  '..',
  'kuva.jpg',
  '~',
  '*',
);

describe('URL normalization fast path', () => {
  it('gives the same link and its text as markdown-it on generated URLs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(urlPiece, { maxLength: 12 }).map((pieces) => pieces.join('')),
          fc.string({ unit: 'binary-ascii', maxLength: 30 }),
        ),
        (url) => {
          // As a link, an autolink and an image: every place markdown-it normalizes a URL.
          const body = `[t](<${url}>) <${url}> ![k](<${url}>)\n`;
          expect(renderMarkdown(parseMarkdown(body, 0))).toBe(stock.render(body));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

// Absolute URLs, mostly of the shape the fast path takes, with everything WHATWG parsing rewrites
// mixed in: case, IPv4 and punycode hosts, ports, users, dot segments, backslashes, spaces, quotes.
const hostLabel = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('www', 'example', 'fi', 'x1', 'a-b') },
  { weight: 1, arbitrary: fc.constantFrom('0x1', '1', '255', 'xn--4ca', 'XN--4ca', 'a-', '-b') },
  { weight: 1, arbitrary: fc.constantFrom('Ab', '', 'ä', 'a:443', 'u@a', 'a_b', '%41') },
);
const urlTail = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('/', '/kirjasto', '/kuva.jpg', '/mets%C3%A4', '/a-1_b') },
  { weight: 3, arbitrary: fc.constantFrom('?a=1&b=2', '#alku', '?', '#', '~!$&()*+,;=:@', '%') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/.',
      '/..',
      '.',
      '/%2e',
      '/%2E.',
      '%zz',
      '//',
      "'",
      '"',
      '`',
      '{',
      '|',
      '^',
      '[',
      '\\',
      ' ',
      '\t',
      '\n',
      'ä',
      '\u0001',
    ),
  },
);
const absoluteUrl = fc
  .tuple(
    fc.constantFrom('https://', 'https://', 'http://', 'HTTP://', 'https:/', 'ftp://', ' https://'),
    fc.array(hostLabel, { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.')),
    fc.array(urlTail, { maxLength: 8 }).map((pieces) => pieces.join('')),
  )
  .map((parts) => parts.join(''));
const PAGE = new URL('https://tiedotteet.example.fi/releases/kirjasto.html');

describe('resolving URLs that are already canonical', () => {
  it('gives back what WHATWG URL parsing gives, on generated absolute URLs', () => {
    let taken = 0;
    fc.assert(
      fc.property(absoluteUrl, (url) => {
        if (!isCanonicalHttpUrl(url)) return;
        taken++;
        expect(new URL(url, PAGE).href).toBe(url);
        expect(resolveUrl(url, PAGE)).toBe(url);
      }),
      { numRuns: 30_000 },
    );
    // The property is checked on thousands of URLs the fast path takes, not on a trickle.
    expect(taken).toBeGreaterThan(2_000);
  });

  it('takes the links and images staff write, and leaves the rest to the parser', () => {
    for (const url of [
      'https://www.example.fi/palvelut/12/0',
      'https://www.example.fi/mets%C3%A4',
      'http://hel.fi/kuvat/kirjasto-1.jpg?w=800#alku',
    ]) {
      expect(isCanonicalHttpUrl(url), url).toBe(true);
    }
    for (const url of [
      'https://www.example.fi',
      'HTTPS://example.fi/',
      'https://Example.fi/',
      'https://example.fi:443/',
      'https://user@example.fi/',
      'https://192.168.0.1/',
      'https://example.1/',
      'https://xn--4ca.fi/',
      'https://example.fi/a/../b',
      'https://example.fi/a/%2e%2e/b',
      'https://example.fi/a\\b',
      'https://example.fi/a b',
      "https://example.fi/?q='x'",
      'kuva.jpg',
      'mailto:a@example.fi',
    ]) {
      expect(isCanonicalHttpUrl(url), url).toBe(false);
    }
  });
});
