import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { isHtmlElementName } from '../../src/release/html-names.js';
import { type ParseOptions, parseRelease } from '../../src/release/parse.js';
import type { Release, ReleaseProblem } from '../../src/release/types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'releases');

/** What tests/fixtures/releases/expectations.json says of one fixture. */
export type CorpusExpectation = 'ok' | { error: string; line?: number; field?: string };

/** The bad-input corpus: every fixture's expected outcome, keyed by its path under FIXTURES. */
export const CORPUS_EXPECTATIONS = JSON.parse(
  readFileSync(join(FIXTURES, 'expectations.json'), 'utf8'),
) as Record<string, CorpusExpectation>;

/** Every `.md` fixture under FIXTURES, `/`-separated and sorted. */
export const CORPUS_FILES = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  .map((entry) => relative(FIXTURES, join(entry.parentPath, entry.name)).replaceAll('\\', '/'))
  .sort();

export const OPTIONS: ParseOptions = {
  siteUrl: 'https://tiedotteet.example.fi',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
};

/** The bytes of a fixture file under tests/fixtures/releases/. */
export function fixture(path: string): Uint8Array {
  return readFileSync(join(FIXTURES, path));
}

function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Parses and insists on a release. */
export function parseOk(
  input: string | Uint8Array,
  path = 'tiedote.md',
  options: ParseOptions = OPTIONS,
): Release {
  const result = parseRelease(path, toBytes(input), options);
  if (!result.ok) {
    throw new Error(`expected a release, got: ${JSON.stringify(result.problem)}`);
  }
  return result.release;
}

/** Parses and insists on a problem. */
export function parseProblem(
  input: string | Uint8Array,
  path = 'tiedote.md',
  options: ParseOptions = OPTIONS,
): ReleaseProblem {
  const result = parseRelease(path, toBytes(input), options);
  if (result.ok) throw new Error(`expected a problem, got release "${result.release.title}"`);
  expect(result.problem.path).toBe(path);
  expect(result.problem.message.length).toBeGreaterThan(0);
  return result.problem;
}

/** A release with front matter built from `fields` (YAML lines) and a body. */
export function withFrontMatter(fields: string, body = 'Teksti.'): string {
  return `---\n${fields.trim()}\n---\n\n${body}\n`;
}

/**
 * Whether plain text holds anything a browser would read as markup: a tag of a real HTML element,
 * a comment, a declaration or a processing instruction. (`<kvp>` and `a<b` are text.)
 */
export function hasMarkup(text: string): boolean {
  // A comment, CDATA, doctype or processing instruction; a bare `<!` or `<?` is only text.
  if (/<!--|<!\[CDATA\[|<![a-z][^<>]*>|<\?[^<>]*>/i.test(text)) return true;
  return [...text.matchAll(/<\/?([a-z][a-z0-9-]*)(?=[\s/>])[^<>]*>/gi)].some(([, name]) =>
    isHtmlElementName(name ?? ''),
  );
}
