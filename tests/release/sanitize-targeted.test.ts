import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRelease } from '../../bench/generate.js';
import { decodeRelease } from '../../src/release/decode.js';
import { splitFrontMatter } from '../../src/release/front-matter.js';
import { parseMarkdown, renderMarkdown } from '../../src/release/markdown.js';
import { splitRawHtml } from '../../src/release/raw-html-segments.js';
import {
  renderReleaseHtml,
  renderReleaseHtmlWholeBody,
  sanitizeReleaseHtml,
} from '../../src/release/sanitize.js';
import { sanitizeTidyHtml } from '../../src/release/tidy-html.js';
import { cleanOutputText } from '../../src/release/xml-text.js';
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
  '\n\n    sisennetty "z"\n\n',
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
    expect(tidy?.map((segment) => segment.kind)).toEqual(['markdown', 'raw', 'markdown']);
    const unclosed = splitRawHtml(parseMarkdown('Alku.\n\n<div>\n\nKesken.\n', 0), renderMarkdown);
    expect(unclosed?.map((segment) => segment.kind)).toEqual(['markdown', 'raw']);
    expect(splitRawHtml(parseMarkdown('a <b>b</i> c\n\nd\n', 0), renderMarkdown)).toBeUndefined();
    expect(splitRawHtml(parseMarkdown('<!-- x\n\nd\n', 0), renderMarkdown)).toBeUndefined();
  });
});

// Markdown whose HTML holds characters its text did not: numeric references, decoded autolinks.
const decodingPiece = fc.constantFrom(
  'Teksti ',
  '\n\n',
  '&#12;',
  '&#0;',
  '&#x1;',
  '&#xD800;',
  '&#65;',
  '&#13;',
  '&amp;',
  '&auml;',
  '&NotEqualTilde;',
  '&#34;',
  '&QUOT;',
  '&quot;',
  '<https://example.fi/a%01b>',
  '<https://example.fi/%0C%7F%C2%85%EF%BF%BE%FF>',
  '<https://xn--80ak6aa92e.fi/>',
  '<https://xn--ls8h.la/%E2%80%A8>',
  '<mailto:a%00b@example.fi>',
  '![<https://example.fi/%01> &#1;](javascript:x)',
  '![kuva &#12;](kuva.jpg "&#0;")',
  '[viite][r]\n\n[r]: https://example.fi "&#1; &#12; x"\n\n',
  '```&#12;js\nkoodi &#1;\n```\n',
  '`&#12;`',
  '| &#12; | b |\n|--|--|\n| <https://example.fi/%01> | 2 |\n',
  '# Otsikko &#0;\n',
);
/** XML 1.0's illegal characters (C1 controls too, as release text has them removed) and U+FFFD. */
const ILLEGAL_OR_LOST =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('scanning the HTML for characters lost in decoding only when the source has some', () => {
  it('gives the HTML that scanning it always gives, on generated Markdown that decodes characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(decodingPiece, markdownPiece, rawPiece), { maxLength: 30 }),
        (pieces) => {
          const { targeted, whole } = bothWays(pieces.join(''));
          expect(targeted).toBe(whole);
          expect(targeted).not.toMatch(ILLEGAL_OR_LOST);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps control characters decoded from an autolink out of its text', () => {
    const { targeted } = bothWays(
      '<https://example.fi/a%01b%7F%C2%85> ja <https://example.fi/%0C>',
    );
    expect(targeted).toBe(
      '<p><a href="https://example.fi/a%01b%7F%C2%85">https://example.fi/ab</a> ja <a href="https://example.fi/%0C">https://example.fi/</a></p>\n',
    );
  });
});

// The fast path's tags, neighbours that must fall back (other allowed tags, void and foreign
// ones, tags the parser treats specially), each in any letter case.
const TIDY_TAGS =
  'table caption thead tbody tfoot tr th td p br b i u s strong em small sub sup mark ul li blockquote h1 h2 h3 h4 h5 h6'.split(
    ' ',
  );
const OTHER_TAGS =
  'ol dl dt dd div span a img hr col code pre script style textarea title svg math iframe noscript template option select table-x'.split(
    ' ',
  );

const anyCase = (name: string) =>
  fc
    .constantFrom('lower', 'upper', 'first')
    .map((style) =>
      style === 'lower'
        ? name
        : style === 'upper'
          ? name.toUpperCase()
          : name.charAt(0).toUpperCase() + name.slice(1),
    );
const tagName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TIDY_TAGS).chain(anyCase) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_TAGS).chain(anyCase) },
);
const tagSpace = fc.constantFrom(' ', ' ', '  ', '\n', '\t', '\f', '\r', '\u00A0', '');
const attributeValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('2', '3', 'col', 'row group', ' x ', 'ä😀', '\u0001') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '&amp;',
      '&quot;x',
      '"',
      "'",
      'a>b',
      'a<b',
      '&#0;',
      'javascript:alert(1)',
      '\u0000',
      '\u0001',
      '\uD800',
      'ä😀',
      '`x`',
      'a=b',
      'a/b',
    ),
  },
);
const attribute = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('colspan', 'rowspan', 'scope') },
      { weight: 1, arbitrary: fc.constantFrom('style', 'class', 'align', 'id', 'onclick', 'x:y') },
    ),
    fc.boolean(),
    fc.constantFrom('"', '"', '"', "'", '', 'none'),
    attributeValue,
    tagSpace,
  )
  .map(([name, upper, quote, value, space]) => {
    const written = upper ? name.toUpperCase() : name;
    const before = space === '' ? ' ' : space;
    return quote === 'none'
      ? `${before}${written}`
      : `${before}${written}=${quote}${value}${quote}`;
  });
// Text the fast path follows, and text it must leave to sanitize-html.
const tidyTextPiece = fc.constantFrom(
  'Aukioloajat',
  'ä ö å',
  ' ',
  '\n',
  '8.00–16.00',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&#39;',
  '&nbsp;',
  '& ',
  '&\n',
  '>',
  '"',
  "'",
  '\u0000',
  '\u0001',
  '\u000C',
  '\u007F',
  '\uD800',
  '\uDC00x',
  '😀',
  '\uFFFE',
  '\uFFFD',
);
const otherTextPiece = fc.constantFrom(
  '&',
  '&copy;',
  '&ampx',
  '&amp',
  '&#0;',
  '&#x41;',
  '&#12;',
  '<',
  '< b',
  '<!-- c -->',
  '</',
  '<3',
  '<![CDATA[x]]>',
);
const textPiece = fc.oneof(
  { weight: 6, arbitrary: tidyTextPiece },
  { weight: 1, arbitrary: otherTextPiece },
);
const text = fc.array(textPiece, { maxLength: 4 }).map((pieces) => pieces.join(''));
/** How an element is closed: as it should be, in another case, not at all, twice, or wrongly. */
const closing = fc.oneof(
  { weight: 12, arbitrary: fc.constant('same') },
  { weight: 1, arbitrary: fc.constantFrom('upper', 'none', 'twice', 'other', 'space') },
);

const { fragment } = fc.letrec<{ fragment: string; element: string }>((tie) => ({
  fragment: fc
    .array(
      fc.oneof(
        { maxDepth: 3, depthIdentifier: 'html' },
        { weight: 2, arbitrary: text },
        { weight: 3, arbitrary: tie('element') },
      ),
      {
        maxLength: 4,
      },
    )
    .map((parts) => parts.join('')),
  element: fc
    .tuple(
      tagName,
      fc.array(attribute, { maxLength: 2 }),
      tagSpace,
      fc.oneof({ weight: 8, arbitrary: fc.constant('') }, fc.constantFrom('/', ' /')),
      tie('fragment'),
      closing,
    )
    .map(([name, attributes, space, slash, inner, close]) => {
      const open = `<${name}${attributes.join('')}${space === '\u00A0' ? '' : space}${slash}>`;
      const lower = name.toLowerCase();
      const end = {
        same: `</${name}>`,
        upper: `</${lower.toUpperCase()}>`,
        none: '',
        twice: `</${name}></${name}>`,
        other: '</td>',
        space: `</${name} >`,
      }[close];
      return lower === 'br' ? `${open}${inner}` : `${open}${inner}${end}`;
    }),
}));

/** Tables as staff paste them: mostly tidy, with the same hostile text and attributes. */
const tableText = fc
  .array(fc.oneof({ weight: 30, arbitrary: tidyTextPiece }, otherTextPiece), { maxLength: 3 })
  .map((pieces) => pieces.join(''));
const tableAttribute = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .tuple(
        fc.constantFrom('colspan', 'rowspan', 'COLSPAN'),
        fc.constantFrom('"', "'", ''),
        fc.constantFrom('2', 'col', 'row group', 'ä😀'),
      )
      .map(
        ([name, quote, value]) =>
          ` ${name}=${quote}${value.replace(/ /g, quote === '' ? '' : ' ')}${quote}`,
      ),
  },
  attribute,
);
const inline = fc
  .tuple(
    fc.constantFrom('b', 'i', 'strong', 'em', 'sup', 'small', 'br').chain(anyCase),
    tableText,
    fc.constantFrom('>', '/>', ' />'),
  )
  .map(([name, inner, end]) =>
    name.toLowerCase() === 'br' ? `<${name}${end}${inner}` : `<${name}>${inner}</${name}>`,
  );
const cell = fc
  .tuple(
    fc.constantFrom('td', 'th').chain(anyCase),
    fc.array(tableAttribute, { maxLength: 1 }),
    fc.array(fc.oneof(tableText, inline), { maxLength: 3 }),
  )
  .map(
    ([name, attributes, content]) => `<${name}${attributes.join('')}>${content.join('')}</${name}>`,
  );
const whitespace = fc.constantFrom('', '\n', ' ', '\n  ');
const row = fc
  .tuple(fc.array(cell, { minLength: 1, maxLength: 4 }), whitespace)
  .map(([cells, space]) => `<tr>${space}${cells.join(space)}${space}</tr>`);
const table = fc
  .tuple(
    fc.option(tableText),
    fc.option(row),
    fc.array(row, { maxLength: 4 }),
    fc.boolean(),
    whitespace,
    fc.constantFrom('table', 'TABLE', 'Table'),
  )
  .map(([caption, head, rows, body, space, name]) => {
    const parts = [
      caption === null ? '' : `<caption>${caption}</caption>`,
      head === null ? '' : `<thead>${head}</thead>`,
      body ? `<tbody>${rows.join(space)}</tbody>` : rows.join(space),
    ];
    return `<${name}>${space}${parts.join(space)}${space}</${name}>`;
  });

/** What sanitize-html writes for a fragment, cleaned as release HTML is. */
const bySanitizeHtml = (html: string) => sanitizeReleaseHtml(html, PAGE);

describe('the fast path for tidy raw HTML (src/release/tidy-html.ts)', () => {
  it('writes what sanitize-html writes, whenever it answers, on generated fragments', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof(fragment, table), (html) => {
        runs += 1;
        const tidy = sanitizeTidyHtml(html);
        if (tidy === undefined) return;
        answered += 1;
        expect(cleanOutputText(tidy)).toBe(bySanitizeHtml(html));
      }),
      { numRuns: 6000 },
    );
    // Most generated fragments are tidy enough: the property is not checked on a trickle.
    expect(answered).toBeGreaterThan(runs * 0.3);
  });

  it('writes what sanitize-html writes for every tag inside every other, two levels deep', () => {
    const names = [...TIDY_TAGS, 'ol', 'hr', 'col', 'dd'];
    let answered = 0;
    for (const outer of names) {
      for (const middle of names) {
        for (const inner of names) {
          const html = `<${outer}>a<${middle}>b<${inner}>c</${inner}>d</${middle}>e</${outer}>`;
          const tidy = sanitizeTidyHtml(html);
          if (tidy === undefined) continue;
          answered += 1;
          expect(cleanOutputText(tidy), html).toBe(bySanitizeHtml(html));
        }
      }
    }
    expect(answered).toBeGreaterThan(5000);
  });

  it('answers for a pasted table, and leaves anything it does not follow to sanitize-html', () => {
    const table =
      '<TABLE>\n<thead><tr><th scope="col" colspan=2>Päivä</th></tr></thead>\n<tbody>\n<tr><td rowspan=\'1\'>ma &amp; ti</td><td>8.00–16.00 &nbsp;<br></td></tr>\n</tbody>\n</TABLE>';
    expect(sanitizeTidyHtml(table)).toBe(
      '<table>\n<thead><tr><th scope="col" colspan="2">Päivä</th></tr></thead>\n<tbody>\n<tr><td rowspan="1">ma &amp; ti</td><td>8.00–16.00 \u00A0<br /></td></tr>\n</tbody>\n</table>',
    );
    expect(cleanOutputText(sanitizeTidyHtml(table) ?? '')).toBe(bySanitizeHtml(table));
    for (const untidy of [
      '<table><tr><td style="color:red">x</td></tr></table>',
      '<table><tr><td>x</tr></table>',
      '<p>a<table></table></p>',
      '<td>a<td>b</td></td>',
      '<b>&copy;</b>',
      '<b>a < b</b>',
      '<b>x</b><!-- c -->',
      '<b/>',
      '<b>x',
      'x</b>',
      '<script>alert(1)</script>',
      '<a href="javascript:x">y</a>',
      '<td colspan="">x</td>',
      '<td colspan="2" colspan="3">x</td>',
      '<td colspan="a&amp;b">x</td>',
      `${'<b>'.repeat(40)}x${'</b>'.repeat(40)}`,
    ]) {
      expect(sanitizeTidyHtml(untidy), untidy).toBeUndefined();
    }
  });

  it('gives the same body HTML as whole-body sanitizing, on Markdown around generated tidy tables', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            markdownPiece,
            fc.oneof(fragment, table).map((html) => `\n\n${html}\n\n`),
            fragment.map((html) => `Teksti ${html} loppu.\n`),
          ),
          { maxLength: 8 },
        ),
        (pieces) => {
          // Bodies come from decodeRelease, which leaves no XML-illegal character in them and
          // refuses text with U+FFFD.
          const { targeted, whole } = bothWays(cleanOutputText(pieces.join('')));
          expect(targeted).toBe(whole);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
