import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../src/release/parse.js';
import type { Release } from '../../src/release/types.js';
import { OPTIONS } from './support.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'releases');

const files = readdirSync(EXAMPLES, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  .map((entry) => relative(EXAMPLES, join(entry.parentPath, entry.name)).replaceAll('\\', '/'))
  .sort();

function parseExample(file: string): Release {
  const result = parseRelease(file, readFileSync(join(EXAMPLES, file)), OPTIONS);
  if (!result.ok) throw new Error(`${file}: ${result.problem.message}`);
  return result.release;
}

describe('example releases for the demo site', () => {
  it('are 5–8 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.length).toBeLessThanOrEqual(8);
  });

  it.each(files)('%s is a valid release dated in 2025–2026, in the past', (file) => {
    const release = parseExample(file);
    expect([2025, 2026]).toContain(release.published.getUTCFullYear());
    expect(release.published.getTime()).toBeLessThan(Date.now());
  });

  it('cover the languages, types and shapes the demo needs', () => {
    const releases = files.map(parseExample);
    const langs = releases.map((release) => release.lang);
    expect(langs.filter((lang) => lang === 'fi').length).toBeGreaterThan(langs.length / 2);
    expect(langs).toContain('sv');
    expect(langs).toContain('en');
    expect(new Set(releases.map((release) => release.category))).toEqual(
      new Set(['Tiedote', 'Blogi', 'Uutinen', 'Kuulutus', 'Pressmeddelande', 'Press release']),
    );
    expect(releases.some((release) => release.kicker !== undefined)).toBe(true);
    expect(files.some((file) => file.includes('/'))).toBe(true);
    expect(files.some((file) => file.includes(' ') && file.includes('ä'))).toBe(true);
    expect(
      releases.some((release) =>
        release.contentHtml.includes('src="https://tiedotteet.example.fi/media/2025/kuvat/'),
      ),
    ).toBe(true);
  });
});
