import { ReleaseFormatError } from './format-error.js';
import yamlLoader from './js-yaml-loader.cjs';
import { readPlainYaml } from './plain-yaml.js';

/** The front-matter fields a release may set, as written (not yet plain text or parsed dates). */
export interface FrontMatterFields {
  title?: string;
  type?: string;
  date?: string;
  updated?: string;
  lang?: string;
  author?: string;
  summary?: string;
  tags?: string[];
  image?: string;
  /** Plain-text description of `image`. */
  image_alt?: string;
  slug?: string;
  /** The same value in each language version of one release links them as translations. */
  translation_key?: string;
}

export interface FrontMatter {
  fields: FrontMatterFields;
  /** Top-level keys this system does not read (`otsikko`, `titel`), in file order. */
  unknownKeys: string[];
  /** 1-based file line of a field's key, for problems about its value. */
  lineOf(field: string): number | undefined;
}

/** A release file split into its optional front matter and its Markdown body. */
export interface SplitRelease {
  frontMatter: FrontMatter | undefined;
  body: string;
  /** File lines before the body: add to a 0-based body line, plus one, to get the file line. */
  bodyLineOffset: number;
}

const TEXT_FIELDS = [
  'title',
  'type',
  'lang',
  'author',
  'summary',
  'image',
  'image_alt',
  'slug',
  'translation_key',
] as const;
const DATE_FIELDS = ['date', 'updated'] as const;
/** Every front-matter field this system reads (docs/release-format.md). */
export const FIELD_NAMES: readonly (keyof FrontMatterFields)[] = [
  ...TEXT_FIELDS,
  ...DATE_FIELDS,
  'tags',
];
const KNOWN_KEYS = new Set<string>(FIELD_NAMES);
const FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const LOOKS_LIKE_FIELD = /^[A-Za-z_][\w-]*[ \t]*:/;
const NO_BREAK_SPACE = /[\u00a0\u2007\u202f]/;
/** `key:` followed by no-break spaces (and maybe ordinary ones): the separator staff meant. */
const NO_BREAK_AFTER_KEY =
  /^([A-Za-z_][\w-]*)[ \t]*:[ \t\u00a0\u2007\u202f]*[\u00a0\u2007\u202f][ \t]*/;

/**
 * Splits off YAML front matter (`---` … `---` at the top; blank lines before it are tolerated)
 * and reads its fields. YAML is read with the core schema, so dates stay text for the release
 * date parser. Unknown fields are ignored; known ones with the wrong shape are rejected.
 *
 * @throws {ReleaseFormatError} with the file line for YAML errors and wrongly typed fields.
 */
export function splitFrontMatter(text: string): SplitRelease {
  const lines = new LineReader(text);
  let line = lines.next();
  while (line !== undefined && line.trim() === '') line = lines.next();
  if (line === undefined || !FENCE.test(line)) {
    return { frontMatter: undefined, body: text, bodyLineOffset: 0 };
  }
  const open = lines.index;
  const fileLines: string[] = [];
  for (line = lines.next(); line !== undefined; line = lines.next()) {
    if (CLOSING_FENCE.test(line)) break;
    fileLines.push(line);
  }
  if (line === undefined) {
    const next = fileLines.find((candidate) => candidate.trim() !== '') ?? '';
    if (!LOOKS_LIKE_FIELD.test(next)) {
      // A thematic break at the top of a plain Markdown file, not front matter.
      return { frontMatter: undefined, body: text, bodyLineOffset: 0 };
    }
    throw new ReleaseFormatError(
      'The front matter that starts here is never closed: add a line with only `---` after the last field.',
      { line: open + 1 },
    );
  }
  const close = lines.index;
  const firstYamlLine = open + 2;
  const yamlLines = ownLines(fileLines);
  // Word and macOS type a no-break space after `title:` easily; YAML reads it as part of the key.
  for (let i = 0; i < yamlLines.length; i += 1) {
    const raw = yamlLines[i] as string;
    if (NO_BREAK_SPACE.test(raw)) yamlLines[i] = raw.replace(NO_BREAK_AFTER_KEY, '$1: ');
  }
  const data = readPlainYaml(yamlLines) ?? loadYaml(yamlLines.join('\n'), firstYamlLine);
  const lineOf = (field: string): number | undefined => {
    const key = keyPattern(field);
    const index = yamlLines.findIndex((candidate) => key.test(candidate));
    return index === -1 ? undefined : firstYamlLine + index;
  };
  return {
    frontMatter: {
      fields: readFields(data, lineOf),
      unknownKeys: Object.keys(data).filter((key) => !KNOWN_KEYS.has(key.toLowerCase())),
      lineOf,
    },
    body: lines.rest(),
    bodyLineOffset: close + 1,
  };
}

/**
 * The same lines, no longer pointing into the file's text. A value read from the front matter (a
 * translation key, a tag, an image URL) lives as long as its release, through a whole build; a
 * slice of the file would keep all of the file in memory with it (3,000 translation keys held
 * 20 MB). Joined, the lines are a new string (two parts at least, or `join` may return the one),
 * and what is split from it keeps only that.
 */
function ownLines(fileLines: readonly string[]): string[] {
  const lines = [...fileLines, ''].join('\n').split('\n');
  lines.pop();
  return lines;
}

/** Walks the lines of a text without splitting all of it: the body is only ever sliced once. */
class LineReader {
  /** 0-based index of the line last returned by {@link next}. */
  index = -1;
  readonly #text: string;
  #start = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** The next line without its `\n`, or `undefined` after the last one. */
  next(): string | undefined {
    if (this.#start > this.#text.length) return undefined;
    const end = this.#text.indexOf('\n', this.#start);
    const stop = end === -1 ? this.#text.length : end;
    const line = this.#text.slice(this.#start, stop);
    this.#start = stop + 1;
    this.index++;
    return line;
  }

  /** Everything after the line last returned by {@link next}. */
  rest(): string {
    return this.#start > this.#text.length ? '' : this.#text.slice(this.#start);
  }
}

// Field names are a fixed set, so each pattern is compiled once for the whole process.
const keyPatterns = new Map<string, RegExp>();

function keyPattern(field: string): RegExp {
  let pattern = keyPatterns.get(field);
  if (pattern === undefined) {
    pattern = new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*:`, 'i');
    // Only the fixed field names are kept; other keys (rare, in error messages) are not.
    if (KNOWN_KEYS.has(field)) keyPatterns.set(field, pattern);
  }
  return pattern;
}

function loadYaml(source: string, firstLine: number): Record<string, unknown> {
  if (source.trim() === '') return {};
  const { CORE_SCHEMA, load, YAMLException } = yamlLoader.jsYamlModule();
  let data: unknown;
  try {
    data = load(source, { schema: CORE_SCHEMA, maxAliases: 20, maxDepth: 20 });
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark?.line === undefined ? firstLine : firstLine + error.mark.line;
      throw new ReleaseFormatError(
        `The front matter is not valid YAML: ${error.reason}. ${yamlHint(error.reason)}`,
        { line },
        { cause: error },
      );
    }
    throw new ReleaseFormatError(
      'The front matter could not be read as YAML. Write one `field: value` per line.',
      { line: firstLine },
      { cause: error },
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ReleaseFormatError(
      'The front matter must be `field: value` lines, e.g. `title: Kirjasto avataan`.',
      { line: firstLine },
    );
  }
  return data as Record<string, unknown>;
}

function yamlHint(reason: string): string {
  if (reason.includes('duplicated mapping key')) return 'Each field may appear only once.';
  return 'Put a value in quotes ("…") if it contains `: ` or `#`, or starts with a special character such as [ { * & ! | > \' " % @.';
}

function readFields(
  data: Record<string, unknown>,
  lineOf: (field: string) => number | undefined,
): FrontMatterFields {
  let keys: string[] | undefined;
  const value = (field: string): unknown => {
    if (Object.hasOwn(data, field)) return data[field];
    keys ??= Object.keys(data);
    const key = keys.find((candidate) => candidate.toLowerCase() === field);
    return key === undefined ? undefined : data[key];
  };
  const wrongType = (field: string, expected: string, got: unknown) =>
    new ReleaseFormatError(`\`${field}\` must be ${expected}, not ${describe(got)}.`, {
      field,
      ...lineIfKnown(lineOf(field)),
    });

  const fields: FrontMatterFields = {};
  for (const field of TEXT_FIELDS) {
    const raw = value(field);
    if (raw === undefined || raw === null) continue;
    if (typeof raw === 'string' || typeof raw === 'number') fields[field] = String(raw);
    else throw wrongType(field, 'text', raw);
  }
  for (const field of DATE_FIELDS) {
    const raw = value(field);
    if (raw === undefined || raw === null) continue;
    if (typeof raw === 'string' || typeof raw === 'number') fields[field] = String(raw);
    else throw wrongType(field, 'a date like 2025-04-09 10:00', raw);
  }
  const tags = value('tags');
  if (typeof tags === 'string' || typeof tags === 'number') {
    fields.tags = String(tags).split(',');
  } else if (Array.isArray(tags)) {
    fields.tags = tags.map((tag) => {
      if (typeof tag === 'string' || typeof tag === 'number') return String(tag);
      throw wrongType('tags', 'a list of words or a comma-separated line', tag);
    });
  } else if (tags !== undefined && tags !== null) {
    throw wrongType('tags', 'a list of words or a comma-separated line', tags);
  }
  return fields;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'boolean') return `${value} (a yes/no value)`;
  if (typeof value === 'object' && value !== null) return 'a set of fields';
  return typeof value;
}

function lineIfKnown(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}
