/**
 * The one UI text catalogue (templates/strings/<lang>.json): every language has exactly the keys
 * of the others, no text is empty, and a `{placeholder}` used in one language is used in all.
 * The files are read from disk, so what is checked is what a city edits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/shared/languages.js';
import { interpolate, UI_LANGS, type UiLang, uiStrings } from '../../src/shared/strings.js';

function catalogueFile(lang: UiLang): unknown {
  const url = new URL(`../../templates/strings/${lang}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

/** Every leaf of a catalogue by its dotted path; a leaf that is not a string is kept as it is. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    found.set(prefix, node);
    return found;
  }
  for (const [key, value] of Object.entries(node)) {
    for (const [path, leaf] of leaves(value, prefix === '' ? key : `${prefix}.${key}`)) {
      found.set(path, leaf);
    }
  }
  return found;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

const CATALOGUES = new Map(UI_LANGS.map((lang) => [lang, leaves(catalogueFile(lang))]));
const FINNISH = CATALOGUES.get('fi') ?? new Map<string, unknown>();

describe('the UI text catalogue', () => {
  it('has the sections of every part of the product', () => {
    expect(Object.keys(uiStrings('fi')).sort()).toEqual([
      'digest',
      'mail',
      'page',
      'staff',
      'subscription',
    ]);
    // A text from each section, so an emptied or renamed section cannot pass unnoticed.
    expect(FINNISH.size).toBeGreaterThan(150);
  });

  it.each(UI_LANGS)('%s has exactly the keys of the other languages', (lang) => {
    const keys = [...(CATALOGUES.get(lang)?.keys() ?? [])].sort();
    for (const other of UI_LANGS) {
      expect(keys, `${lang} vs ${other}`).toEqual(
        [...(CATALOGUES.get(other)?.keys() ?? [])].sort(),
      );
    }
  });

  it.each(UI_LANGS)('%s has a non-empty text at every key', (lang) => {
    const bad = [...(CATALOGUES.get(lang) ?? [])]
      .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
      .map(([path]) => path);
    expect(bad).toEqual([]);
  });

  it('uses the same {placeholders} for a key in every language', () => {
    const mismatched: string[] = [];
    for (const [path, finnish] of FINNISH) {
      const expected = placeholders(String(finnish));
      for (const lang of UI_LANGS) {
        const own = placeholders(String(CATALOGUES.get(lang)?.get(path)));
        if (own.join() !== expected.join()) mismatched.push(`${lang} ${path}: ${own.join()}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('has a file for every language residents can subscribe in, and no other', () => {
    const files = readdirSync(new URL('../../templates/strings/', import.meta.url))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...LANGS].sort());
  });

  it('is the same catalogue the code reads', () => {
    for (const lang of UI_LANGS) expect(uiStrings(lang)).toEqual(catalogueFile(lang));
  });

  it('shows a language, placeholders included, the way it was before the merge', () => {
    const fi = uiStrings('fi');
    expect(interpolate(fi.page.archiveTitle, { year: '2024' })).toBe('Tiedotteet vuodelta 2024');
    expect(interpolate(uiStrings('sv').page.withdrawnText, { title: 'T', date: '3.5.2024' })).toBe(
      'Pressmeddelandet ”T” togs bort 3.5.2024.',
    );
    expect(interpolate(fi.digest['count.many'], { count: '3' })).toBe('3 uutta tiedotetta');
    expect(interpolate(fi.staff['rejected.subject'], { file: 'a.md' })).toBe(
      'Tiedotetta ei julkaistu: a.md',
    );
  });
});

describe('interpolate', () => {
  it('fills each {name} once, leaving values and unknown names as they are', () => {
    expect(interpolate('{a} and {b} and {c}', { a: '{b}', b: 'B' })).toBe('{b} and B and {c}');
  });

  it('does not take names from the object prototype', () => {
    expect(interpolate('{constructor} {toString}', {})).toBe('{constructor} {toString}');
  });
});
