import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, renderMarkdown } from '../../src/release/markdown.js';

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
