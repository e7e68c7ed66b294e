import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRelease } from '../../bench/generate.js';
import { decodeRelease } from '../../src/release/decode.js';
import { splitFrontMatter } from '../../src/release/front-matter.js';
import { parseMarkdown, renderMarkdown } from '../../src/release/markdown.js';
import { splitRawHtml } from '../../src/release/raw-html-segments.js';
import { renderReleaseHtml, renderReleaseHtmlWholeBody } from '../../src/release/sanitize.js';
import { CORPUS_FILES, FIXTURES } from './support.js';

const PAGE = 'https://tiedotteet.example.fi/releases/kirjasto.html';

/** Both ways of rendering `body`, each from its own tokens (rendering changes them). */
function bothWays(body: string): { targeted: string; whole: string } {
  const run = (render: typeof renderReleaseHtml) => {
    try {
      return render(parseMarkdown(body, 0), PAGE);
    } catch (error) {
      return `threw ${(error as Error).message}`;
    }
  };
  return { targeted: run(renderReleaseHtml), whole: run(renderReleaseHtmlWholeBody) };
}

const rawPiece = fc.constantFrom(
  '<table>\n<tr><th>a</th><td>1</td></tr>\n</table>\n',
  '<table>',
  '</table>',
  '<tr><td>x</td></tr>',
  '<td>',
  '<b>',
  '</b>',
  '<i>k</i>',
  '<div>',
  '</div>',
  '<p>',
  '</p>',
  '<ul><li>a',
  '</li></ul>',
  '<details><summary>s</summary>',
  '</details>',
  '<script>alert(1)</script>',
  '<script>',
  '<style>p{}</style>',
  '<textarea>',
  '<svg><g/></svg>',
  '<math>',
  '<!-- c',
  '-->',
  '<!DOCTYPE html>',
  '<img src="kuva.jpg">',
  '<img src="javascript:x" onerror="y()">',
  '<a href="javascript:x">',
  '<a href="sivu.html" onclick="x()">',
  '</a>',
  '<br>',
  '</br>',
  '<hr/>',
  '<b/>',
  '<em title="a>b">',
  '</em>',
  '<kvp>',
  'a<b',
  '<',
  '>',
  '&#1;',
  '&#12;',
  '&#0;',
  '&quot;',
  '"',
  '<iframe src="x">',
);
const markdownPiece = fc.constantFrom(
  'Teksti ',
  'ä "lainaus" ',
  '# Otsikko\n',
  '\n',
  '\n\n',
  '- kohta\n',
  '1. eka\n',
  '> lainaus\n',
  '**vahva** ',
  '*',
  '`koodi "x"` ',
  '```\nkoodi "y"\n```\n',
  '    sisennetty\n',
  '[linkki](https://example.fi/a?b="c")',
  '[suhteellinen](sivu.html "Otsikko \\"x\\"")',
  '![kuva](kuva.jpg)',
  '<https://example.fi>',
  '| a | b |\n|--|--|\n| 1 | 2 |\n',
  '---\n',
  '\\*\\*\\*\n',
);

describe('targeted sanitizing (only the runs of blocks with raw HTML)', () => {
  it('gives the same HTML as sanitizing the whole body, on generated Markdown with raw HTML', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(rawPiece, markdownPiece), { maxLength: 40 }), (pieces) => {
        const { targeted, whole } = bothWays(pieces.join(''));
        expect(targeted).toBe(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same HTML on every release of the hostile and real-world corpus', () => {
    let compared = 0;
    for (const file of CORPUS_FILES) {
      let body: string;
      try {
        body = splitFrontMatter(decodeRelease(readFileSync(join(FIXTURES, file)))).body;
      } catch {
        continue; // Not a readable release: nothing is rendered.
      }
      const { targeted, whole } = bothWays(body);
      expect(targeted, file).toBe(whole);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('gives the same HTML on the example site and on 600 generated releases', () => {
    const examples = join(import.meta.dirname, '..', '..', 'examples', 'releases');
    const texts = readdirSync(examples, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    expect(texts.length).toBeGreaterThan(0);
    for (let index = 0; index < 600; index++) texts.push(generateRelease(index).text);
    let withRawHtml = 0;
    for (const text of texts) {
      const { body } = splitFrontMatter(text);
      if (/<table>/.test(body)) withRawHtml += 1;
      const { targeted, whole } = bothWays(body);
      expect(targeted).toBe(whole);
    }
    // The generator puts a raw-HTML table in about one release in ten.
    expect(withRawHtml).toBeGreaterThan(30);
  });

  it('sanitizes only the blocks with raw HTML when it is tidy, and the whole body when not', () => {
    const tidy = splitRawHtml(
      parseMarkdown('Alku.\n\n<table>\n<tr><td>1</td></tr>\n</table>\n\nLoppu.\n', 0),
      renderMarkdown,
    );
    expect(tidy?.map((segment) => segment.raw)).toEqual([false, true, false]);
    const unclosed = splitRawHtml(parseMarkdown('Alku.\n\n<div>\n\nKesken.\n', 0), renderMarkdown);
    expect(unclosed?.map((segment) => segment.raw)).toEqual([false, true]);
    expect(splitRawHtml(parseMarkdown('a <b>b</i> c\n\nd\n', 0), renderMarkdown)).toBeUndefined();
    expect(splitRawHtml(parseMarkdown('<!-- x\n\nd\n', 0), renderMarkdown)).toBeUndefined();
  });
});
