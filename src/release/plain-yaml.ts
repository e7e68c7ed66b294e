/**
 * A fast path for the front matter staff nearly always write: one `key: value` per line, each value
 * plain text, quoted text without escapes, or a one-line `[a, b]` list. js-yaml 5 spends ~80 µs on
 * eight such lines, more than all the rest of a release's front matter handling together.
 *
 * It only accepts what reads the same in every YAML 1.2 parser: anything else (block lists,
 * multi-line values, escapes, anchors, aliases, tags, comments after values, numbers, booleans,
 * nulls written as words, duplicate keys, tabs, …) makes it answer `undefined`, and the caller
 * parses the text with js-yaml, which also gives the exact error for invalid YAML.
 * tests/release/plain-yaml.test.ts checks it against js-yaml's CORE schema on generated input.
 */

/** Characters that make the whole text go to js-yaml: tabs, CR, non-printables, BOM, U+2028/9. */
const NOT_PLAIN_ANYWHERE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;

/** `key:` and the rest of the line; the key is a plain word that YAML reads as text. */
const PAIR = /^([A-Za-z_][A-Za-z0-9_-]*):(?:$| +(?=[^ ]))/;

const DOUBLE_QUOTED = /^"[^"\\]*"$/;
const SINGLE_QUOTED = /^'[^']*'$/;

/** A block-context plain scalar that is text in YAML: no indicator first, no `: `, ` #`, brackets. */
const PLAIN_TEXT = /^[^-?:,[\]{}#&*!|>'"%@` ](?:[^[\]{}:#]|:(?! |$)|(?<! )#)*(?<![ :])$/;

/** A flow-context plain scalar: as above, and no `,` or `:` either. */
const FLOW_PLAIN_TEXT = /^[^-?:,[\]{}#&*!|>'"%@` ][^,[\]{}:#]*(?<! )$/;

/**
 * Plain scalars the CORE schema may read as something other than text: null, booleans, and
 * (a superset of) every integer and float form. These go to js-yaml.
 */
const MAYBE_NOT_TEXT =
  /^(?:~|null|true|false|[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:e[-+]?[0-9]+)?|[-+]?0[box].*|[-+]?\.(?:inf|nan))$/i;

/**
 * The mapping the YAML `lines` (front matter without its fences) hold, when they are in the plain
 * shape described above; otherwise `undefined`.
 */
export function readPlainYaml(lines: readonly string[]): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  let pairs = 0;
  for (const line of lines) {
    if (line === '') continue;
    if (NOT_PLAIN_ANYWHERE.test(line) || !isWellFormed(line)) return undefined;
    if (line.startsWith('#')) continue;
    const pair = PAIR.exec(line);
    if (pair === null) return undefined;
    const key = pair[1] as string;
    if (Object.hasOwn(data, key) || MAYBE_NOT_TEXT.test(key) || key === '__proto__') {
      return undefined;
    }
    const value = plainValue(line.slice(pair[0].length));
    if (value === undefined) return undefined;
    data[key] = value;
    pairs++;
  }
  // Without a single pair YAML has no document at all (an error for js-yaml to word).
  return pairs === 0 ? undefined : data;
}

/** The value of a plain-shaped scalar or one-line list; `undefined` for anything else. */
function plainValue(text: string): string | string[] | null | undefined {
  if (text === '') return null;
  const first = text.charAt(0);
  if (first === '"') return DOUBLE_QUOTED.test(text) ? text.slice(1, -1) : undefined;
  if (first === "'") return SINGLE_QUOTED.test(text) ? text.slice(1, -1) : undefined;
  if (first === '[') return plainList(text);
  return PLAIN_TEXT.test(text) && !MAYBE_NOT_TEXT.test(text) ? text : undefined;
}

function plainList(text: string): string[] | undefined {
  if (!text.endsWith(']')) return undefined;
  const inner = text.slice(1, -1);
  if (inner.trim() === '') return inner === '' || /^ +$/.test(inner) ? [] : undefined;
  const items: string[] = [];
  for (const raw of inner.split(',')) {
    const item = raw.replace(/^ +| +$/g, '');
    if (!FLOW_PLAIN_TEXT.test(item) || MAYBE_NOT_TEXT.test(item)) return undefined;
    items.push(item);
  }
  return items;
}

/** ES2024 `String.prototype.isWellFormed` (Node 20+), not yet in our TypeScript lib. */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}
