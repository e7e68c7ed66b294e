import fc from 'fast-check';
import type { Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/release/markdown.js';
import { markSceneBreaks } from '../../src/release/scene-breaks.js';

/** The scene-break test without its early exit: all of a paragraph's text, then one pattern. */
function isSceneBreakSlowly(inline: Token | undefined): boolean {
  if (inline?.type !== 'inline') return false;
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'text_special') text += child.content;
    else if (!/^(?:em|strong)_(?:open|close)$/.test(child.type)) return false;
  }
  return /^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|⁂)$/.test(
    text.replace(/\u00a0/g, ' ').trim(),
  );
}

const piece = fc.constantFrom(
  '*',
  '\\*',
  '**',
  '-',
  '\\-',
  '_',
  '\\_',
  '⁂',
  ' ',
  '\u00a0',
  '\u2003',
  '\t',
  '&ast;',
  '&#42;',
  '&nbsp;',
  'a',
  '.',
  '`*`',
  '<b>',
  '\n',
);

describe('scene breaks written as text', () => {
  it('are found exactly as by reading all of each paragraph, on generated paragraphs', () => {
    let breaks = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
        const tokens = parseMarkdown(`Alku.\n\n${pieces.join('')}\n\nLoppu.\n`, 0);
        const expected = tokens.filter(
          (token, index) =>
            token.type === 'paragraph_open' &&
            token.level === 0 &&
            isSceneBreakSlowly(tokens[index + 1]),
        ).length;
        const marked = markSceneBreaks(tokens);
        const added = marked.filter((token) => token.type === 'hr').length;
        const before = tokens.filter((token) => token.type === 'hr').length;
        expect(added - before).toBe(expected);
        breaks += expected;
      }),
      { numRuns: 5000 },
    );
    // Generated paragraphs include real scene breaks, not only text.
    expect(breaks).toBeGreaterThan(50);
  });
});
