import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../src/release/parse.js';
import type { ParseResult, Release } from '../../src/release/types.js';
import { stripXmlIllegal } from '../../src/shared/text.js';
import { fixture, hasMarkup, OPTIONS } from './support.js';

const PLAIN_FIELDS = ['title', 'summary', 'author', 'kicker', 'category', 'imageAlt'] as const;

function stringFields(release: Release): string[] {
  return [
    release.id,
    release.sourcePath,
    release.slug,
    release.title,
    release.category,
    release.categorySlug,
    release.lang,
    release.author ?? '',
    release.summary ?? '',
    release.kicker ?? '',
    release.image ?? '',
    release.imageAlt ?? '',
    release.contentHtml,
    release.url,
    ...release.tags,
  ];
}

/** The invariants every parse result keeps, whatever the input. */
function checkResult(result: ParseResult, path: string): void {
  if (!result.ok) {
    expect(result.problem.path).toBe(path);
    expect(result.problem.message.trim()).not.toBe('');
    if (result.problem.line !== undefined) expect(result.problem.line).toBeGreaterThanOrEqual(1);
    return;
  }
  const release = result.release;
  for (const value of stringFields(release)) {
    expect(stripXmlIllegal(value)).toBe(value);
    expect(value).not.toContain('\uFFFD');
  }
  for (const field of PLAIN_FIELDS) {
    const value = release[field] ?? '';
    expect(value).not.toMatch(/[\r\n]/);
    expect(hasMarkup(value), value).toBe(false);
    expect(value).toBe(value.trim());
  }
  expect(release.title).not.toBe('');
  expect(release.title.length).toBeLessThanOrEqual(300);
  expect(release.summary?.length ?? 0).toBeLessThanOrEqual(500);
  expect(Number.isNaN(release.published.getTime())).toBe(false);
  expect(release.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  expect(release.url).toBe(`${OPTIONS.siteUrl}/releases/${release.slug}.html`);
  const html = release.contentHtml;
  expect(html).not.toMatch(/<script/i);
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    expect(tag).not.toMatch(/javascript:|vbscript:|data:/i);
    expect(tag).not.toMatch(/\son[a-z]*\s*=/i);
    expect(tag).not.toMatch(/\sstyle\s*=/i);
  }
}

function parseChecked(path: string, bytes: Uint8Array): ParseResult {
  let result: ParseResult | undefined;
  expect(() => {
    result = parseRelease(path, bytes, OPTIONS);
  }).not.toThrow();
  if (result === undefined) throw new Error('no result');
  checkResult(result, path);
  return result;
}

const path = fc.oneof(
  fc.constant('2025/tiedote.md'),
  fc.string({ maxLength: 40 }).map((name) => `${name}.md`),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('a\\b\\c.md', 'Kevään tiedote ä.md', '.md', '', '///'),
);

const textPiece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    '---\n',
    'title: ',
    'date: ',
    'type: ',
    'tags: ',
    'lang: ',
    'image: ',
    'image_alt: ',
    'summary: ',
    '2025-02-03 10:00',
    '9.4.2020 klo 18.33',
    '31.2.2021',
    '\n',
    '\r\n',
    '\r',
    '\u00a0',
    '\ufeff',
    '\ufffd',
    '\u0000',
    '\u0007',
    '# ',
    '## **',
    '**',
    '*',
    '\\*',
    '> ',
    '- ',
    '[a](javascript:alert(1))',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:x">x</a>',
    '<svg onload=alert(1)>',
    '<p style="x" onclick="y">',
    '&#0;',
    '&#1;',
    '&#xD800;',
    '{x: 1}',
    '[a, b]',
    '"',
    "'",
    ': ',
  ),
);

/** Text shaped like a release: front matter and body assembled from risky pieces. */
const releaseLikeText = fc
  .tuple(
    fc.boolean(),
    fc.array(textPiece, { maxLength: 12 }),
    fc.array(textPiece, { maxLength: 30 }),
  )
  .map(([frontMatter, head, body]) =>
    frontMatter
      ? `---\ntitle: T${head.join('')}\ndate: 2025-02-03\n---\n\n${body.join('')}`
      : `## **${head.join('')}**\n\n**Tiedote**\u00a0**9.4.2020 18:33**\n\n${body.join('')}`,
  );

function encodeUtf16le(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

const releaseLikeBytes = fc.oneof(
  releaseLikeText.map((text) => new TextEncoder().encode(text)),
  releaseLikeText.map((text) => encodeUtf16le(text, true)),
  releaseLikeText.map((text) => Buffer.from(text, 'latin1')),
);

describe('parseRelease on any input (property-based)', () => {
  it('never throws on arbitrary bytes; results keep the invariants', () => {
    fc.assert(
      fc.property(path, fc.uint8Array({ maxLength: 2048 }), (name, bytes) => {
        parseChecked(name, bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on release-shaped text full of risky pieces', () => {
    let accepted = 0;
    fc.assert(
      fc.property(path, releaseLikeBytes, (name, bytes) => {
        if (parseChecked(name, bytes).ok) accepted++;
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise the accepting path too, or the invariants above test nothing.
    expect(accepted).toBeGreaterThan(100);
  });

  it('never throws when a valid release is damaged at random', () => {
    const base = fixture('good/legacy-export-fi.md');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const bytes = Uint8Array.from(base);
          for (const [at, value] of edits) bytes[Math.min(at, bytes.length - 1)] = value;
          parseChecked('2025/vaurioitunut.md', bytes);
        },
      ),
      { numRuns: 500 },
    );
  });
});
