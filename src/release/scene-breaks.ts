import type { Token } from 'markdown-it';

/** `***`, `* * *`, `---`, `___`, `⁂`: a line that is nothing but a scene-break sign. */
const SCENE_BREAK = /^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|⁂)$/;
/** A character no scene break has: found at once in nearly every paragraph, at its first letter. */
const NOT_IN_A_BREAK = /[^\s*_⁂-]/;

/**
 * Turns paragraphs that only hold a scene break written as text into thematic breaks (`<hr />`),
 * like the `***` Markdown already reads as one. Exports from older systems escape the stars
 * (`\*\*\*`) or make them bold (`**\*\*\***`), which Markdown leaves as a paragraph of stars.
 * Top-level paragraphs only; returns a new token list when anything changed.
 */
export function markSceneBreaks(tokens: Token[]): Token[] {
  let changed = false;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i] as Token;
    const inline = tokens[i + 1];
    if (open.type === 'paragraph_open' && open.level === 0 && inline && isSceneBreak(inline)) {
      const hr = Object.assign(Object.create(Object.getPrototypeOf(open)) as Token, open, {
        type: 'hr',
        tag: 'hr',
        nesting: 0,
        markup: '***',
        children: null,
        content: '',
      });
      out.push(hr);
      i += 2; // the inline token and paragraph_close
      changed = true;
    } else {
      out.push(open);
    }
  }
  return changed ? out : tokens;
}

function isSceneBreak(inline: Token): boolean {
  if (inline.type !== 'inline') return false;
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'text_special') {
      if (NOT_IN_A_BREAK.test(child.content)) return false;
      text += child.content;
    } else if (!/^(?:em|strong)_(?:open|close)$/.test(child.type)) return false;
  }
  return SCENE_BREAK.test(text.replace(/\u00a0/g, ' ').trim());
}
