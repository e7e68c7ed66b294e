import type { Token } from 'markdown-it';
import { cleanPlainText, inlinePlainText } from './plain-text.js';

/**
 * What the top of a release body says about the release. The front-matter-less export staff have
 * looks like this (blank lines first, NBSPs between type and date):
 *
 * ```markdown
 * *Kicker line.*
 *
 * ## **Blogi: Title of the post**
 *
 * **Tiedote** \u00a0\u00a0 **9.4.2020 18:33**
 *
 * First paragraph, used as the summary.
 * ```
 */
export interface ReleaseLead {
  /** Plain text of the italic line above the title heading. */
  kicker?: string;
  /** Plain text of the lead heading, or of the first heading anywhere when there is no lead one. */
  headingTitle?: string;
  /** Release type from the type/date line, plain text. */
  type?: string;
  /** Date as written on the type/date line, with that line's number in the file. */
  date?: { text: string; line: number };
  /** Plain text of the first paragraph of what remains of the body. */
  firstParagraph?: string;
  /** The body's tokens without the kicker, title heading and type/date line. */
  bodyTokens: Token[];
}

interface Block {
  start: number;
  /** Index after the block's last token. */
  end: number;
}

const MAX_TYPE_LENGTH = 60;
const MAX_PLAIN_TYPE_DATE_LINE = 120;
const SEPARATOR = /\s*\|\s*|\s*\u00a0[\s\u00a0]*|\s{2,}/;
const DATE_START = /^\d/;
const TIME_WORD = /^(?:klo|kl\.?|at)$/i;
const DATE_ONLY = /^(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})\b/;
/** How much of the first paragraph is read for the summary (it is cut to ~500 characters later). */
const SUMMARY_SOURCE_CHARS = 4_000;

/**
 * Reads the lead of a parsed body: kicker, title heading, type/date line and first paragraph.
 * The title heading is left out of `bodyTokens` when it is the release's title, i.e. when there is
 * no front-matter title, when it matches that title, or when the legacy kicker or type/date line
 * mark it as the title.
 *
 * @param lineOffset file lines before the body, to report type/date lines as file lines.
 * @param needsSummary whether to read `firstParagraph` (not needed when the front matter has a
 *   summary).
 */
export function readLead(
  tokens: Token[],
  lineOffset: number,
  frontMatterTitle: string | undefined,
  needsSummary = true,
): ReleaseLead {
  const blocks = topLevelBlocks(tokens);
  const removed = new Set<Block>();
  const lead: ReleaseLead = { bodyTokens: tokens };
  let next = 0;
  // A thematic break above everything (a stray `---`) means nothing; the lead starts after it.
  for (let block = blocks[0]; isBlock(tokens, block, 'hr'); block = blocks[++next]) {
    removed.add(block);
  }

  const kickerBlock = blocks[next];
  if (isKicker(tokens, kickerBlock, blocks[next + 1])) {
    const kicker = inlinePlainText(inlineChildren(tokens, kickerBlock));
    if (kicker !== '') lead.kicker = kicker;
    removed.add(kickerBlock);
    next++;
  }

  const heading = blocks[next];
  const hasLeadHeading = isBlock(tokens, heading, 'heading');
  if (hasLeadHeading) {
    lead.headingTitle = inlinePlainText(inlineChildren(tokens, heading));
    next++;
  } else {
    lead.headingTitle = firstHeadingText(tokens);
  }

  const typeDateBlock = blocks[next];
  const typeDate = isBlock(tokens, typeDateBlock, 'paragraph')
    ? readTypeDateLine(inlineChildren(tokens, typeDateBlock))
    : undefined;
  if (typeDateBlock && typeDate) {
    if (typeDate.type !== undefined && typeDate.type !== '') lead.type = typeDate.type;
    const line = (tokens[typeDateBlock.start]?.map?.[0] ?? 0) + lineOffset + 1;
    lead.date = { text: typeDate.date, line };
    removed.add(typeDateBlock);
  }

  const headingIsTitle =
    frontMatterTitle === undefined ||
    lead.kicker !== undefined ||
    lead.date !== undefined ||
    sameText(frontMatterTitle, lead.headingTitle ?? '');
  if (hasLeadHeading && headingIsTitle) removed.add(heading);

  if (removed.size > 0) {
    lead.bodyTokens = blocks
      .filter((block) => !removed.has(block))
      .flatMap((block) => tokens.slice(block.start, block.end));
  }
  const summary = needsSummary ? firstParagraph(lead.bodyTokens) : undefined;
  if (summary !== undefined) lead.firstParagraph = summary;
  return lead;
}

function topLevelBlocks(tokens: readonly Token[]): Block[] {
  const blocks: Block[] = [];
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token.level !== 0) continue;
    if (token.nesting === 1) {
      start = i;
    } else if (token.nesting === -1) {
      blocks.push({ start, end: i + 1 });
    } else {
      blocks.push({ start: i, end: i + 1 });
    }
  }
  return blocks;
}

function isBlock(
  tokens: readonly Token[],
  block: Block | undefined,
  kind: 'paragraph' | 'heading' | 'hr',
): block is Block {
  const type = block === undefined ? undefined : tokens[block.start]?.type;
  return kind === 'hr' ? type === 'hr' : type === `${kind}_open`;
}

/** An italic line directly above a heading: the legacy export's kicker. */
function isKicker(
  tokens: readonly Token[],
  block: Block | undefined,
  following: Block | undefined,
): block is Block {
  return (
    isBlock(tokens, block, 'paragraph') &&
    isBlock(tokens, following, 'heading') &&
    isWholeEmphasis(inlineChildren(tokens, block))
  );
}

function firstHeadingText(tokens: readonly Token[]): string | undefined {
  const index = tokens.findIndex((token) => token.type === 'heading_open');
  const inline = index === -1 ? undefined : tokens[index + 1];
  return inline === undefined ? undefined : inlinePlainText(inline.children ?? []);
}

function inlineChildren(tokens: readonly Token[], block: Block): Token[] {
  return tokens[block.start + 1]?.children ?? [];
}

/** `*Whole line in italics*`: one emphasis run and nothing but whitespace around it. */
function isWholeEmphasis(children: readonly Token[]): boolean {
  const inner = trimWhitespaceTokens(children);
  if (inner[0]?.type !== 'em_open' || inner[inner.length - 1]?.type !== 'em_close') return false;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const type = inner[i]?.type;
    if (type === 'em_open') depth++;
    if (type === 'em_close') depth--;
    if (depth === 0 && i < inner.length - 1) return false;
  }
  return true;
}

interface TypeDateLine {
  type?: string;
  date: string;
}

/**
 * `**Tiedote** \u00a0 **9.4.2020 18:33**`, `**9.4.2020**`, `Tiedote | 9.4.2020 klo 18.33`:
 * a short line of bold parts (or parts separated by NBSP, `|` or several spaces) ending in a date.
 * The date is returned as written; it is checked by the caller.
 */
function readTypeDateLine(children: readonly Token[]): TypeDateLine | undefined {
  const parts = boldParts(children) ?? plainParts(children);
  if (parts === undefined) return undefined;
  const segments = parts
    .flatMap((part) => part.split(SEPARATOR))
    .map((segment) => segment.replace(/\s+/g, ' ').trim())
    .filter((segment) => segment !== '');
  let dateStart = segments.length;
  while (dateStart > 0 && isDatePart(segments[dateStart - 1] ?? '')) dateStart--;
  while (dateStart < segments.length && !DATE_START.test(segments[dateStart] ?? '')) dateStart++;
  if (dateStart === segments.length) return undefined;
  const type = segments.slice(0, dateStart).join(' ');
  if (type.length > MAX_TYPE_LENGTH) return undefined;
  const date = segments.slice(dateStart).join(' ');
  return type === '' ? { date } : { type: cleanPlainText(type), date };
}

function isDatePart(segment: string): boolean {
  return DATE_START.test(segment) || TIME_WORD.test(segment);
}

/** The texts of the bold runs, when every visible character of the line is bold. */
function boldParts(children: readonly Token[]): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const token of children) {
    switch (token.type) {
      case 'strong_open':
        depth++;
        break;
      case 'strong_close':
        depth--;
        if (depth === 0) {
          parts.push(current);
          current = '';
        }
        break;
      case 'em_open':
      case 'em_close':
        break;
      case 'softbreak':
        current += ' ';
        break;
      case 'text':
      case 'text_special':
        if (depth > 0) current += token.content;
        else if (/\S/.test(token.content.replace(/\u00a0/g, ' '))) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return parts.length > 0 ? parts : undefined;
}

/** Parts of a plain line, when it is short and visibly separated into parts (or only a date). */
function plainParts(children: readonly Token[]): string[] | undefined {
  let raw = '';
  for (const token of children) {
    if (token.type === 'text' || token.type === 'text_special') raw += token.content;
    else if (token.type === 'softbreak') raw += ' ';
    else if (!token.type.startsWith('em_') && !token.type.startsWith('strong_')) return undefined;
  }
  const line = raw.trim();
  if (line.length > MAX_PLAIN_TYPE_DATE_LINE) return undefined;
  if (SEPARATOR.test(line)) return [line];
  return DATE_ONLY.test(line) && line.length <= 40 ? [line] : undefined;
}

function trimWhitespaceTokens(children: readonly Token[]): Token[] {
  const isBlank = (token: Token | undefined) =>
    token !== undefined && token.type === 'text' && token.content.trim() === '';
  let start = 0;
  let end = children.length;
  while (start < end && isBlank(children[start])) start++;
  while (end > start && isBlank(children[end - 1])) end--;
  return children.slice(start, end);
}

function firstParagraph(tokens: readonly Token[]): string | undefined {
  let fallback: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'paragraph_open') continue;
    const children = tokens[i + 1]?.children ?? [];
    const text = inlinePlainText(limitText(children));
    if (text === '') continue;
    if (token.level === 0) return text;
    fallback ??= text;
  }
  return fallback;
}

/** The inline tokens up to about {@link SUMMARY_SOURCE_CHARS} characters of text. */
function limitText(children: readonly Token[]): readonly Token[] {
  let length = 0;
  for (let i = 0; i < children.length; i++) {
    length += children[i]?.content.length ?? 0;
    if (length > SUMMARY_SOURCE_CHARS) return children.slice(0, i + 1);
  }
  return children;
}

// Case-insensitive, accent-sensitive; built once, on first use, because constructing a collator
// is slow (and a cold start need not pay for it).
let titleCollator: Intl.Collator | undefined;

function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  titleCollator ??= new Intl.Collator('fi', { sensitivity: 'accent' });
  return titleCollator.compare(a, b) === 0;
}
