import { describe, expect, it } from 'vitest';
import { meantField } from '../../src/release/field-names.js';
import { parseRelease } from '../../src/release/parse.js';
import { formatWarning, type ReleaseWarning } from '../../src/release/types.js';
import { editDistance } from '../../src/shared/edit-distance.js';
import { OPTIONS, parseProblem, withFrontMatter } from './support.js';

function warningsOf(fields: string, path = 'tiedote.md'): ReleaseWarning[] {
  const result = parseRelease(path, new TextEncoder().encode(withFrontMatter(fields)), OPTIONS);
  if (!result.ok) throw new Error(`expected a release, got: ${result.problem.message}`);
  return result.warnings;
}

describe('front-matter warnings', () => {
  it('warns about a misspelled optional field at its line, with the field meant', () => {
    const warnings = warningsOf(
      'title: Uimahalli\ndate: 2025-02-03 10:00\nsumary: Lyhyesti\ntgas: [a]\nupdatd: 2025-02-04',
    );
    expect(warnings.map((w) => [w.line, w.field])).toEqual([
      [4, 'sumary'],
      [5, 'tgas'],
      [6, 'updatd'],
    ]);
    expect(formatWarning(warnings[0] as ReleaseWarning)).toBe(
      'tiedote.md:4: warning: `sumary` is not a field this system reads, so it was ignored. Did you mean `summary`? Write `summary:`.',
    );
    expect(warnings[1]?.message).toContain('Did you mean `tags`?');
    expect(warnings[2]?.message).toContain('Did you mean `updated`?');
  });

  it.each([
    ['sumary', 'summary'],
    ['dtae', 'date'],
    ['titel', 'title'],
    ['tilte', 'title'],
    ['lnag', 'lang'],
    ['imgae', 'image'],
    ['otsikko', 'title'],
    ['julkaistu', 'date'],
    ['päivämäärä', 'date'],
    ['kieli', 'lang'],
    ['tyyppi', 'type'],
    ['tiivistelmä', 'summary'],
    ['kuva', 'image'],
    ['rubrik', 'title'],
    ['datum', 'date'],
    ['Kuvateksti', 'image_alt'],
    ['image-alt', 'image_alt'],
  ])('reads %s as %s', (key, field) => {
    expect(meantField(key)).toBe(field);
  });

  it('suggests nothing for a key far from every field, and lists the fields instead', () => {
    expect(meantField('budget')).toBeUndefined();
    const [warning] = warningsOf('title: T\ndate: 2025-02-03\nbudget: 10');
    expect(warning?.message).toContain('The fields are title, type, lang,');
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('dtae', 'date')).toBe(1);
    expect(editDistance('sumary', 'summary')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'tags')).toBe(4);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('says a translated duplicate of a set field can go', () => {
    const [warning] = warningsOf('title: T\notsikko: T\ndate: 2025-02-03');
    expect(warning?.message).toContain(
      'Did you mean `title`? It is already set; remove this line.',
    );
  });

  it.each([
    ['suomi', 'fi'],
    ['Svenska', 'sv'],
    ['ruotsi', 'sv'],
    ['englanti', 'en'],
    ['engelska', 'en'],
  ])('reads lang: %s as %s with a warning', (name, code) => {
    const result = parseRelease(
      'a.md',
      new TextEncoder().encode(withFrontMatter(`title: T\ndate: 2025-02-03\nlang: ${name}`)),
      OPTIONS,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.release.lang).toBe(code);
    expect(result.warnings).toHaveLength(1);
    expect(formatWarning(result.warnings[0] as ReleaseWarning)).toBe(
      `a.md:4: warning: \`lang: ${name}\` was read as \`${code}\`; write the language code \`lang: ${code}\`.`,
    );
  });

  it('gives no warning for a clean release', () => {
    expect(warningsOf('title: T\ndate: 2025-02-03\nlang: fi\ntags: a, b')).toEqual([]);
  });

  it('rejects a missing date written under a misspelled key, at that key, with the suggestion', () => {
    const problem = parseProblem(withFrontMatter('title: T\nfoo: 1\ndtae: 2025-02-03'));
    expect(problem).toMatchObject({ field: 'date', line: 4 });
    expect(problem.message).toContain('`dtae` (write `date`)');
  });
});
