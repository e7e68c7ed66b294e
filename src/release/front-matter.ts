import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { ReleaseFormatError } from './format-error.js';

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
}

export interface FrontMatter {
  fields: FrontMatterFields;
  /** 1-based file line of a field's key, for problems about its value. */
  lineOf(field: keyof FrontMatterFields): number | undefined;
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
] as const;
const DATE_FIELDS = ['date', 'updated'] as const;
const FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const LOOKS_LIKE_FIELD = /^[A-Za-z_][\w-]*[ \t]*:/;

/**
 * Splits off YAML front matter (`---` … `---` at the top; blank lines before it are tolerated)
 * and reads its fields. YAML is read with the core schema, so dates stay text for the release
 * date parser. Unknown fields are ignored; known ones with the wrong shape are rejected.
 *
 * @throws {ReleaseFormatError} with the file line for YAML errors and wrongly typed fields.
 */
export function splitFrontMatter(text: string): SplitRelease {
  const lines = text.split('\n');
  const open = lines.findIndex((line) => line.trim() !== '');
  if (open === -1 || !FENCE.test(lines[open] ?? '')) {
    return { frontMatter: undefined, body: text, bodyLineOffset: 0 };
  }
  let close = -1;
  for (let i = open + 1; i < lines.length; i++) {
    if (CLOSING_FENCE.test(lines[i] ?? '')) {
      close = i;
      break;
    }
  }
  if (close === -1) {
    const next = lines.slice(open + 1).find((line) => line.trim() !== '') ?? '';
    if (!LOOKS_LIKE_FIELD.test(next)) {
      // A thematic break at the top of a plain Markdown file, not front matter.
      return { frontMatter: undefined, body: text, bodyLineOffset: 0 };
    }
    throw new ReleaseFormatError(
      'The front matter that starts here is never closed: add a line with only `---` after the last field.',
      { line: open + 1 },
    );
  }
  const yamlLines = lines.slice(open + 1, close);
  const firstYamlLine = open + 2;
  const data = loadYaml(yamlLines.join('\n'), firstYamlLine);
  const lineOf = (field: string): number | undefined => {
    const key = new RegExp(`^${field}[ \\t]*:`, 'i');
    const index = yamlLines.findIndex((line) => key.test(line));
    return index === -1 ? undefined : firstYamlLine + index;
  };
  return {
    frontMatter: { fields: readFields(data, lineOf), lineOf },
    body: lines.slice(close + 1).join('\n'),
    bodyLineOffset: close + 1,
  };
}

function loadYaml(source: string, firstLine: number): Record<string, unknown> {
  if (source.trim() === '') return {};
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
  const value = (field: string): unknown => {
    if (Object.hasOwn(data, field)) return data[field];
    const key = Object.keys(data).find((candidate) => candidate.toLowerCase() === field);
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
