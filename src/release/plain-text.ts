import type { Token } from 'markdown-it';
import { classifyRawHtml, isHtmlElementName, NON_TEXT_ELEMENTS } from './html-names.js';
import { parseInline } from './markdown.js';
import { cleanOutputText } from './xml-text.js';

/** Characters that can start Markdown inline syntax, an HTML tag or an entity. */
const MARKUP = /[*_`[\]<>&\\!~]/;

/**
 * Turns a line of Markdown (a front-matter value, a heading) into plain text: emphasis markers
 * and HTML tags go, entities are decoded once, whitespace (NBSP and line breaks included)
 * collapses to single spaces.
 */
export function toPlainText(markdown: string): string {
  // Most values have no Markdown or HTML at all; the inline parser is then not needed.
  return MARKUP.test(markdown) ? inlinePlainText(parseInline(markdown)) : cleanPlainText(markdown);
}

/** Plain text of markdown-it inline tokens; see {@link toPlainText}. */
export function inlinePlainText(children: readonly Token[]): string {
  return cleanPlainText(collectText(children));
}

/**
 * Truncates plain text to at most `max` characters at a word boundary, ending with an ellipsis
 * when anything was cut.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const words = space > max / 2 ? cut.slice(0, space) : cut;
  return `${words.replace(/[\s,;:.–-]+$/u, '')}…`;
}

function collectText(children: readonly Token[]): string {
  let text = '';
  // Inside `<script>` or `<style>`: nothing counts as text until the element closes.
  let hiddenIn: string | undefined;
  for (const token of children) {
    if (token.type === 'html_inline') {
      const raw = classifyRawHtml(token.content);
      if (raw.kind === 'tag' && NON_TEXT_ELEMENTS.has(raw.name)) {
        if (!raw.closing) hiddenIn ??= raw.name;
        else if (hiddenIn === raw.name) hiddenIn = undefined;
      } else if (raw.kind === 'text' && hiddenIn === undefined) {
        text += token.content; // `<kvp>`: text that merely looks like a tag
      }
      continue;
    }
    if (hiddenIn !== undefined) continue;
    switch (token.type) {
      case 'text':
      case 'code_inline':
      case 'text_special':
        text += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += ' ';
        break;
      case 'image':
        text += collectText(token.children ?? []);
        break;
      default:
        // Emphasis and links contribute no text of their own.
        break;
    }
  }
  return text;
}

/**
 * Cleans text that is already free of Markdown syntax: removes XML-illegal characters and
 * anything that could read as an HTML tag, and collapses whitespace (NBSP and line breaks too).
 */
export function cleanPlainText(text: string): string {
  let clean = cleanOutputText(text);
  if (clean.includes('<')) clean = removeMarkup(clean);
  // Emphasis markers left standing alone (`** **`, `__`) are debris, not words.
  if (/[*_]{2}/.test(clean)) clean = clean.replace(/(^|\s)[*_]{2,}(?=\s|$)/g, '$1');
  return clean.replace(/\s+/g, ' ').trim();
}

const NON_TEXT_ELEMENT = /<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const COMMENT_OR_DECLARATION = /<!--[\s\S]*?(?:-->|$)|<![A-Za-z[][^<>]*>|<\?[^<>]*>/g;
const TAG = /<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>/g;

/**
 * Removes what a browser would read as markup (tags of real HTML elements, comments, and
 * `<script>`/`<style>` with their content), until none is left (`<<b>b>`); text that merely looks
 * like markup (`a<b`, `<kvp>`, `5 < 6`) stays, to be escaped once wherever it is written.
 */
function removeMarkup(text: string): string {
  let previous: string;
  let current = text;
  do {
    previous = current;
    current = current
      .replace(NON_TEXT_ELEMENT, '')
      .replace(COMMENT_OR_DECLARATION, '')
      .replace(TAG, (tag, name: string) => (isHtmlElementName(name) ? '' : tag));
  } while (current !== previous);
  return current;
}
