import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readPlainYaml } from '../../src/release/plain-yaml.js';

/** What js-yaml (the parser the fast path stands in for) makes of the lines, or its error. */
function jsYaml(lines: string[]): { data: unknown } | { error: string } {
  try {
    return { data: load(lines.join('\n'), { schema: CORE_SCHEMA, maxAliases: 20, maxDepth: 20 }) };
  } catch (error) {
    return { error: String(error) };
  }
}

// Words make most generated values plain text; the edge pieces sit on every border of the plain
// shape: YAML indicators, `: ` and ` #`, quotes, numbers, booleans and nulls in their many
// spellings, brackets, non-ASCII and invisible spaces.
const WORDS = ['Kirjasto', 'avataan', 'kevät 2025', 'Ä', 'ö', '🎉', 'a', 'B', '1', '2025-04-09'];
const EDGES = [
  '0',
  '10:00',
  '9.4.2025 klo 10.00',
  ' ',
  '  ',
  ':',
  ': ',
  ' :',
  '#',
  ' #',
  ',',
  ', ',
  '-',
  '- ',
  '?',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  "''",
  '\\',
  '%',
  '@',
  '`',
  '[',
  ']',
  '{',
  '}',
  '.',
  '+',
  '_',
  'e',
  'x',
  'o',
  'b',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'FALSE',
  'yes',
  'no',
  'on',
  '.inf',
  '-.Inf',
  '.NaN',
  '0x1F',
  '0o17',
  '0b101',
  '1_000',
  '1e3',
  '12.50',
  '\u00a0',
  '\u2028',
  '\t',
  '\ufeff',
  '---',
  '...',
  '<<',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
);
const text = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
const key = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('title', 'type', 'date', 'lang', 'tags', 'Title', 'image_alt'),
  },
  { weight: 1, arbitrary: text },
);
const value = fc.oneof(
  text,
  text.map((inner) => `"${inner}"`),
  text.map((inner) => `'${inner}'`),
  fc.array(text, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
  fc.array(text, { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
);
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(key, fc.constantFrom(': ', ': ', ':', ':  '), value)
      .map(([k, separator, v]) => `${k}${separator}${v}`),
  },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: text.map((comment) => `#${comment}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('  ', '- ', '---'), text).map(([a, b]) => a + b),
  },
);
const document = fc.array(line, { maxLength: 5 });

describe('readPlainYaml', () => {
  it('reads the front matter staff write the way js-yaml does', () => {
    const lines = [
      'title: "Kirjasto avataan: kevät 2025"',
      'type: Tiedote',
      'date: 2025-04-09T10:00:00+03:00',
      'lang: fi',
      "author: 'Viestintä & markkinointi'",
      'summary: Uusi kirjasto, kaupungin paras (#1), avataan.',
      'tags: [kirjasto, kulttuuri]',
      'image:',
      '# kommentti',
      '',
    ];
    const data = readPlainYaml(lines);
    expect(data).toEqual({
      title: 'Kirjasto avataan: kevät 2025',
      type: 'Tiedote',
      date: '2025-04-09T10:00:00+03:00',
      lang: 'fi',
      author: 'Viestintä & markkinointi',
      summary: 'Uusi kirjasto, kaupungin paras (#1), avataan.',
      tags: ['kirjasto', 'kulttuuri'],
      image: null,
    });
    expect(jsYaml(lines)).toEqual({ data });
  });

  it.each([
    ['a number', ['title: 2025']],
    ['a boolean', ['title: yes', 'draft: true']],
    ['a null word', ['title: ~']],
    ['a duplicate key', ['title: a', 'title: b']],
    ['a block list', ['tags:', '  - a']],
    ['a continued value', ['summary: a', '  b']],
    ['an escape', ['title: "a\\"b"']],
    ['an alias', ['a: &x b', 'c: *x']],
    ['a tag', ['title: !!str 1']],
    ['a comment after a value', ['title: a # b']],
    ['only comments', ['# a']],
    ['a tab', ['title:\ta']],
  ])('leaves %s to js-yaml', (_, lines) => {
    expect(readPlainYaml(lines)).toBeUndefined();
  });

  it('never disagrees with js-yaml: when it answers, js-yaml reads the same data', () => {
    let answered = 0;
    fc.assert(
      fc.property(document, (lines) => {
        const fast = readPlainYaml(lines);
        if (fast === undefined) return;
        answered++;
        expect(jsYaml(lines)).toEqual({ data: fast });
      }),
      { numRuns: 20_000 },
    );
    // The property says something only if the fast path answers for a good share of the input.
    expect(answered).toBeGreaterThan(2_000);
  });

  it('answers for most generated documents that js-yaml reads as plain text fields', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('title', 'type', 'summary', 'author'),
            fc
              .stringMatching(/^[A-Za-zÄÖäö][A-Za-zÄÖäö ,.]{0,30}[a-z]$/)
              .filter((v) => !/^(?:null|true|false)$/i.test(v)),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (pairs) => {
          const unique = [...new Map(pairs).entries()];
          const lines = unique.map(([k, v]) => `${k}: ${v}`);
          const fast = readPlainYaml(lines);
          if (fast !== undefined) answered++;
          expect(fast).toEqual(Object.fromEntries(unique));
        },
      ),
      { numRuns: 500 },
    );
    expect(answered).toBe(500);
  });
});
