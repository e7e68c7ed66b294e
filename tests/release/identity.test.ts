import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdAuthority, normalizeSourcePath, releaseIdentity } from '../../src/release/identity.js';
import { nameBasedUrn, shortHash, slugify } from '../../src/shared/text.js';
import { OPTIONS, parseOk, parseProblem, withFrontMatter } from './support.js';

const SITE = 'https://tiedotteet.example.fi';

describe('release identity', () => {
  it('derives id, slug and url from the path', () => {
    expect(releaseIdentity('2025/Kevään katutyöt.md', undefined, SITE)).toEqual({
      sourcePath: '2025/Kevään katutyöt.md',
      id: nameBasedUrn('tiedotteet.example.fi:2025/Kevään katutyöt.md'),
      slug: '2025-kevaan-katutyot',
      url: 'https://tiedotteet.example.fi/releases/2025-kevaan-katutyot.html',
    });
  });

  it('uses the front-matter slug, slugified', () => {
    const identity = releaseIdentity('2025/a.md', 'Kirjasto Avataan!', SITE);
    expect(identity.slug).toBe('kirjasto-avataan');
    expect(identity.url).toBe('https://tiedotteet.example.fi/releases/kirjasto-avataan.html');
    // The id still comes from the path: changing the slug does not make it a new item.
    expect(identity.id).toBe(releaseIdentity('2025/a.md', undefined, SITE).id);
  });

  it('falls back to the path when the front-matter slug has nothing usable', () => {
    expect(releaseIdentity('2025/a.md', '!!!', SITE).slug).toBe('2025-a');
  });

  it('falls back to a hash of the path when the path has nothing usable', () => {
    const identity = releaseIdentity('Новости.md', undefined, SITE);
    expect(identity.slug).toBe(`release-${shortHash('Новости.md')}`);
    expect(releaseIdentity('Пресса.md', undefined, SITE).slug).not.toBe(identity.slug);
  });

  it('normalizes the path to NFC with / separators', () => {
    const nfd = '2025\\Kevään katutyöt.md'.normalize('NFD');
    expect(normalizeSourcePath(nfd)).toBe('2025/Kevään katutyöt.md');
    expect(releaseIdentity(nfd, undefined, SITE)).toEqual(
      releaseIdentity('2025/Kevään katutyöt.md', undefined, SITE),
    );
  });

  it('strips only a final .md (any case) from the slug', () => {
    expect(releaseIdentity('a.md.md', undefined, SITE).slug).toBe('a-md');
    expect(releaseIdentity('TIEDOTE.MD', undefined, SITE).slug).toBe('tiedote');
  });

  it('tolerates a trailing slash on the site URL', () => {
    expect(releaseIdentity('a.md', undefined, `${SITE}/`).url).toBe(`${SITE}/releases/a.html`);
  });

  it('gives different sites different ids for the same path', () => {
    expect(releaseIdentity('a.md', undefined, 'https://a.example').id).not.toBe(
      releaseIdentity('a.md', undefined, 'https://b.example').id,
    );
  });

  it('keeps the ids of a site that moved when its old host stays the id authority', () => {
    const before = releaseIdentity('2025/a.md', undefined, 'https://tiedotteet.example.fi');
    const moved = releaseIdentity(
      '2025/a.md',
      undefined,
      'https://www.kaupunki.example/tiedotteet',
      'tiedotteet.example.fi',
    );
    expect(moved.id).toBe(before.id);
    expect(moved.url).toBe('https://www.kaupunki.example/tiedotteet/releases/2025-a.html');
    expect(parseOk(withFrontMatter('title: T\ndate: 2025-02-03'), '2025/a.md').id).not.toBe(
      parseOk(withFrontMatter('title: T\ndate: 2025-02-03'), '2025/a.md', {
        ...OPTIONS,
        idAuthority: 'vanha.example.fi',
      }).id,
    );
  });

  it('accepts host names (with a port) as id authorities, nothing else', () => {
    for (const good of ['tiedotteet.example.fi', 'localhost:8080', 'xn--kaupunki-4ya.fi']) {
      expect(isIdAuthority(good), good).toBe(true);
    }
    for (const bad of ['', 'https://a.fi', 'a.fi/x', 'A.FI', 'a b.fi', '-a.fi', 'a.fi:', 'ä.fi']) {
      expect(isIdAuthority(bad), bad).toBe(false);
    }
  });

  it('keeps id, slug and url across edits of the text, title and date', () => {
    const before = parseOk(withFrontMatter('title: Ensimmäinen\ndate: 2025-02-03'), '2025/x.md');
    const after = parseOk(
      withFrontMatter(
        'title: Korjattu otsikko\ndate: 2025-02-04 12:00\ntype: Uutinen',
        'Uusi teksti.',
      ),
      '2025/x.md',
    );
    expect([after.id, after.slug, after.url, after.sourcePath]).toEqual([
      before.id,
      before.slug,
      before.url,
      before.sourcePath,
    ]);
    expect(before.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('matches the identity helper in parseRelease', () => {
    const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03'), 'sv\\Nyhet ä.md');
    expect(release).toMatchObject(releaseIdentity('sv/Nyhet ä.md', undefined, OPTIONS.siteUrl));
  });
});

describe('file names the identity cannot carry', () => {
  const text = withFrontMatter('title: Otsikko\ndate: 2025-02-03');

  it('refuses a name damaged by a conversion (U+FFFD), naming the fix', () => {
    const problem = parseProblem(text, '2025/Kev\uFFFDn katuty\uFFFDt.md');
    expect(problem.message).toContain('U+FFFD');
    expect(problem.message).toContain('Rename the file');
  });

  it('refuses control characters and lone surrogates in a name', () => {
    expect(parseProblem(text, 'tiedote\u0007.md').message).toContain('U+0007');
    expect(parseProblem(text, 'tiedote\uD800.md').message).toContain('U+D800');
  });

  it('accepts names with spaces, letters of any script and dashes', () => {
    expect(parseOk(text, '2025/Kevään – tiedote 東京.md').sourcePath).toBe(
      '2025/Kevään – tiedote 東京.md',
    );
  });
});

describe('slugs from paths that are already slugs', () => {
  it('are the slug that slugify gives, on generated paths', () => {
    const part = fc.constantFrom(
      '2025',
      'kirjasto',
      'a',
      'x1',
      '-',
      '--',
      '/',
      '.md',
      'Ä',
      'ä',
      'B',
      '_',
      ' ',
      'é',
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 30 }), (parts) => {
        const path = `${parts.join('')}.md`;
        const sourcePath = normalizeSourcePath(path);
        const expected =
          slugify(sourcePath.replace(/\.md$/i, '').replaceAll('/', '-')) ||
          `release-${shortHash(sourcePath)}`;
        expect(releaseIdentity(path, undefined, 'https://tiedotteet.example.fi').slug).toBe(
          expected,
        );
      }),
      { numRuns: 5000 },
    );
  });
});
