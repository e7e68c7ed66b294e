import { describe, expect, it } from 'vitest';
import { fixture, OPTIONS, parseOk, parseProblem, withFrontMatter } from './support.js';

describe('parseRelease with front matter', () => {
  it('reads every field of a complete release', () => {
    const release = parseOk(fixture('good/front-matter-fi.md'), '2025/kirjasto.md');

    expect(release).toMatchObject({
      title: 'Pääkirjaston remontti valmistuu kesäkuussa',
      category: 'Tiedote',
      categorySlug: 'tiedote',
      lang: 'fi',
      author: 'Kulttuuripalvelut, viestintä',
      summary:
        'Pääkirjasto avataan uudistettuna 2.6.2025. Remontin aikana lainaus jatkuu Torikatu 4:n väistötiloissa.',
      tags: ['kirjasto', 'remontti', 'kulttuuri'],
      slug: 'paakirjaston-remontti',
      url: 'https://tiedotteet.example.fi/releases/paakirjaston-remontti.html',
      image: 'https://tiedotteet.example.fi/media/2025/kuvat/paakirjasto.jpg',
      sourcePath: '2025/kirjasto.md',
    });
    expect(release.published.toISOString()).toBe('2025-05-20T06:00:00.000Z');
    expect(release.updated?.toISOString()).toBe('2025-05-21T11:30:00.000Z');
    expect(release.kicker).toBeUndefined();
    expect(release.contentHtml).toContain('<h2>Mitä muuttuu</h2>');
    expect(release.contentHtml).toContain('<li>hiljainen lukusali avataan uudelleen</li>');
    expect(release.contentHtml).toContain(
      '<a href="https://tiedotteet.example.fi/palvelut/kirjasto.html">kirjaston sivuilta</a>',
    );
    expect(release.contentHtml).toContain('<td>ma–pe</td>');
    // The table alignment markdown-it writes as a style attribute is not allowed through.
    expect(release.contentHtml).not.toContain('style=');
    expect(release.contentHtml).not.toContain('tuntemattomat');
  });

  it('ignores unknown fields and matches field names case-insensitively', () => {
    const release = parseOk(
      withFrontMatter('Title: Isolla alkava\nDATE: 2025-02-03 10:00\nfoo: [1, 2]\nbar: {a: b}'),
    );
    expect(release.title).toBe('Isolla alkava');
    expect(release.published.toISOString()).toBe('2025-02-03T08:00:00.000Z');
  });

  it('reads a no-break space after `key:` (Word, macOS) as the separator it was meant to be', () => {
    const release = parseOk(fixture('good/no-break-space-after-colon.md'));
    expect(release.title).toBe('Torin kevätmarkkinat');
    expect(release.category).toBe('Tapahtuma');
    expect(release.published.toISOString()).toBe('2025-04-12T06:00:00.000Z');
    // Inside a value it is text, as written.
    expect(parseOk(withFrontMatter('title: "A\u00a0B"\ndate: 2025-02-03')).title).toBe('A B');
  });

  it('names the fields it ignored when the title or date is missing, with the field meant', () => {
    const noDate = parseProblem(withFrontMatter('title: T\ndatum: 2025-02-03\nfoo(x): 1'));
    expect(noDate).toMatchObject({ field: 'date', line: 3 });
    expect(noDate.message).toContain(
      'This system does not read these fields: `datum` (write `date`), `foo(x)`.',
    );
    const many = parseProblem(withFrontMatter('a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7'));
    expect(many.message).toContain('`a`, `b`, `c`, `d`, `e` and 2 more.');
    // Without ignored fields the message stays as it was.
    expect(parseProblem(withFrontMatter('date: 2025-02-03')).message).toBe(
      'Expected `title` in front matter or a first heading (# Title).',
    );
  });

  it('takes the title from the first heading when front matter has none, without repeating it', () => {
    const release = parseOk(fixture('good/heading-title-en.md'));
    expect(release.title).toBe('Winter maintenance starts on Monday');
    expect(release.contentHtml).not.toContain('<h1>');
    expect(release.summary).toBe(
      'Snow ploughing on main streets starts at 5 a.m. Residents are asked to move cars from the marked streets.',
    );
  });

  it('drops a first heading that repeats the front-matter title, keeps other headings', () => {
    const release = parseOk(fixture('good/same-title-heading.md'));
    expect(release.title).toBe('Uimahalli avautuu');
    expect(release.contentHtml).not.toContain('<h1>');
    expect(release.contentHtml).toContain('<h2>Aukioloajat</h2>');
  });

  it('keeps a first heading that differs from the front-matter title', () => {
    const release = parseOk(
      withFrontMatter('title: Otsikko\ndate: 2025-02-03', '# Taustaa\n\nTeksti.'),
    );
    expect(release.title).toBe('Otsikko');
    expect(release.contentHtml).toContain('<h1>Taustaa</h1>');
  });

  it('lets front matter win over what the body says', () => {
    const body = '## **Kehon otsikko**\n\n**Uutinen** \u00a0 **1.1.2024 10:00**\n\nTeksti.';
    const release = parseOk(
      withFrontMatter('title: Etuosan otsikko\ntype: Kuulutus\ndate: 2025-02-03 12:00', body),
    );
    expect(release.title).toBe('Etuosan otsikko');
    expect(release.category).toBe('Kuulutus');
    expect(release.published.toISOString()).toBe('2025-02-03T10:00:00.000Z');
    // The legacy title and type/date lines are still recognised as such, not repeated as text.
    expect(release.contentHtml).toBe('<p>Teksti.</p>\n');
  });

  it('uses the body type/date line when front matter leaves them out', () => {
    const body = '# Kehon otsikko\n\n**Uutinen** \u00a0 **1.1.2024 10:00**\n\nTeksti.';
    const release = parseOk(withFrontMatter('author: Viestintä', body));
    expect(release).toMatchObject({ title: 'Kehon otsikko', category: 'Uutinen', lang: 'fi' });
    expect(release.published.toISOString()).toBe('2024-01-01T08:00:00.000Z');
  });

  it.each([
    ['tags: [kirjasto, kulttuuri]', ['kirjasto', 'kulttuuri']],
    ['tags: kirjasto, kulttuuri ,  , kirjasto', ['kirjasto', 'kulttuuri']],
    ['tags:\n  - kirjasto\n  - 2025', ['kirjasto', '2025']],
    ['tags: "**lihavoitu**, <b>tagi</b>"', ['lihavoitu', 'tagi']],
    ['tags:', []],
  ])('reads tags written as %j', (yaml, expected) => {
    expect(parseOk(withFrontMatter(`title: T\ndate: 2025-02-03\n${yaml}`)).tags).toEqual(expected);
  });

  it.each([
    ['title: [a, b]', 'title', 3, '`title` must be text, not a list'],
    ['title: {a: b}', 'title', 3, '`title` must be text, not a set of fields'],
    ['title: true', 'title', 3, '`title` must be text, not true'],
    ['tags: {x: 1}', 'tags', 3, '`tags` must be a list of words'],
    ['tags: [[a]]', 'tags', 3, '`tags` must be a list of words'],
    ['tags: true', 'tags', 3, '`tags` must be a list of words'],
    ['author: [a]', 'author', 3, '`author` must be text'],
    ['summary: {a: 1}', 'summary', 3, '`summary` must be text'],
    ['slug: [x]', 'slug', 3, '`slug` must be text'],
    ['updated: false', 'updated', 3, '`updated` must be a date'],
    ['lang: [fi]', 'lang', 3, '`lang` must be text'],
  ])('rejects %s naming the field and its line', (yaml, field, line, message) => {
    const problem = parseProblem(withFrontMatter(`date: 2025-02-03\n${yaml}\ntitle2: x`));
    expect(problem).toMatchObject({ field, line });
    expect(problem.message).toContain(message);
  });

  it('rejects a wrongly typed date', () => {
    const problem = parseProblem(withFrontMatter('title: T\ndate: [2025, 1]'));
    expect(problem).toMatchObject({ field: 'date', line: 3 });
    expect(problem.message).toContain('`date` must be a date like 2025-04-09 10:00, not a list');
  });

  it('reports a bad date with the line of its key', () => {
    const problem = parseProblem(withFrontMatter('title: T\nlang: fi\n\ndate: 31.2.2021'));
    expect(problem).toMatchObject({ field: 'date', line: 5 });
  });

  it('keeps dates as text for the date parser (no YAML timestamps)', () => {
    const release = parseOk(withFrontMatter('title: T\ndate: 2025-06-01 12:00:00'));
    expect(release.published.toISOString()).toBe('2025-06-01T09:00:00.000Z');
  });

  it('reports YAML errors with the line in the original file', () => {
    const problem = parseProblem(
      '\n---\ntitle: T\ndate: 2025-02-03\nsummary: "avoin lainaus\n---\n\nTeksti.\n',
    );
    expect(problem.message).toContain('The front matter is not valid YAML');
    expect(problem.line).toBeGreaterThanOrEqual(5);
    expect(problem.line).toBeLessThanOrEqual(7);
  });

  it('tolerates blank lines before the front matter', () => {
    expect(parseOk(`\n\n${withFrontMatter('title: T\ndate: 2025-02-03')}`).title).toBe('T');
  });

  it('reads empty front matter as no fields', () => {
    const release = parseOk(
      '---\n---\n\n# Otsikko\n\n**Tiedote** \u00a0 **3.2.2025**\n\nTeksti.\n',
    );
    expect(release.title).toBe('Otsikko');
  });

  it('treats a lone `---` at the top of plain Markdown as a thematic break, not front matter', () => {
    const release = parseOk('---\n\n# Otsikko\n\n**Tiedote** \u00a0 **3.2.2025**\n\nTeksti.\n');
    expect(release.title).toBe('Otsikko');
  });

  it('rejects YAML tags that could construct objects', () => {
    const problem = parseProblem(withFrontMatter('title: !!js/function "x"\ndate: 2025-02-03'));
    expect(problem.message).toContain('not valid YAML');
  });

  describe('lang', () => {
    it.each([
      ['fi', 'fi'],
      ['SV', 'sv'],
      ['sv-FI', 'sv'],
      ['en_GB', 'en'],
      ['smn', 'smn'],
    ])('normalizes %s to %s', (input, expected) => {
      expect(parseOk(withFrontMatter(`title: T\ndate: 2025-02-03\nlang: ${input}`)).lang).toBe(
        expected,
      );
    });

    it.each(['suomi ja ruotsi', 'f', 'fi-FI-x-private', '12'])(
      'rejects %s naming the field',
      (input) => {
        const problem = parseProblem(withFrontMatter(`title: T\ndate: 2025-02-03\nlang: ${input}`));
        expect(problem).toMatchObject({ field: 'lang', line: 4 });
      },
    );

    it('defaults to the site language', () => {
      const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03'), 'a.md', {
        ...OPTIONS,
        defaultLang: 'sv',
      });
      expect(release).toMatchObject({ lang: 'sv', category: 'Pressmeddelande' });
    });

    it('takes the language of a known type word when none is stated', () => {
      const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\ntype: Pressmeddelande'));
      expect(release.lang).toBe('sv');
    });
  });

  describe('default category when no type is given', () => {
    it.each([
      ['fi', 'Tiedote', 'tiedote'],
      ['sv', 'Pressmeddelande', 'tiedote'],
      ['en', 'Press release', 'tiedote'],
      ['de', 'Press release', 'tiedote'],
    ])('%s → %s', (lang, category, categorySlug) => {
      const release = parseOk(withFrontMatter(`title: T\ndate: 2025-02-03\nlang: ${lang}`));
      expect(release).toMatchObject({ category, categorySlug });
    });
  });

  it('keeps the type as written (trimmed) and slugifies it for the category key', () => {
    const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\ntype: "  Kuulutus  "'));
    expect(release).toMatchObject({ category: 'Kuulutus', categorySlug: 'kuulutus' });
    const other = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\ntype: Päätös ja ääni'));
    expect(other).toMatchObject({ category: 'Päätös ja ääni', categorySlug: 'paatos-ja-aani' });
  });

  it('gives a type without Latin letters a stable hashed category key', () => {
    const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\ntype: Новости'));
    expect(release.category).toBe('Новости');
    expect(release.categorySlug).toMatch(/^type-[0-9a-f]{6}$/);
  });

  describe('updated', () => {
    it('is kept when later than date', () => {
      const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nupdated: 2025-02-04'));
      expect(release.updated?.toISOString()).toBe('2025-02-03T22:00:00.000Z');
    });

    it('is ignored when at or before date', () => {
      const before = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nupdated: 2025-02-01'));
      expect(before.updated).toBeUndefined();
      const same = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nupdated: 3.2.2025'));
      expect(same.updated).toBeUndefined();
    });
  });

  it('accepts a far-future date (the embargo keeps it hidden until then)', () => {
    const release = parseOk(withFrontMatter('title: T\ndate: 2150-01-01 09:00'));
    expect(release.published.getUTCFullYear()).toBe(2150);
  });

  describe('image', () => {
    it('keeps an absolute https URL', () => {
      const release = parseOk(
        withFrontMatter('title: T\ndate: 2025-02-03\nimage: https://kuvat.example.fi/a b.jpg'),
      );
      expect(release.image).toBe('https://kuvat.example.fi/a%20b.jpg');
    });

    it('reads image_alt as plain text for the image', () => {
      const release = parseOk(
        withFrontMatter(
          'title: T\ndate: 2025-02-03\nimage: a.jpg\nimage_alt: "Kirjaston *uusi* lukusali"',
        ),
      );
      expect(release.imageAlt).toBe('Kirjaston uusi lukusali');
      const withoutImage = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nimage_alt: x'));
      expect(withoutImage.imageAlt).toBeUndefined();
    });

    it('resolves a path against the release page', () => {
      const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nimage: /kuvat/a.jpg'));
      expect(release.image).toBe('https://tiedotteet.example.fi/kuvat/a.jpg');
    });

    it.each(['javascript:alert(1)', 'data:image/png;base64,AAAA', 'mailto:a@example.fi'])(
      'rejects %s',
      (image) => {
        const problem = parseProblem(
          withFrontMatter(`title: T\ndate: 2025-02-03\nimage: "${image}"`),
        );
        expect(problem).toMatchObject({ field: 'image', line: 4 });
      },
    );
  });

  it('rejects an author longer than 200 characters', () => {
    const problem = parseProblem(
      withFrontMatter(`title: T\ndate: 2025-02-03\nauthor: ${'a'.repeat(201)}`),
    );
    expect(problem).toMatchObject({ field: 'author', line: 4 });
  });

  it('rejects more than 50 tags', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`).join(', ');
    const problem = parseProblem(withFrontMatter(`title: T\ndate: 2025-02-03\ntags: ${tags}`));
    expect(problem).toMatchObject({ field: 'tags', line: 4 });
  });

  it('names the site configuration when siteUrl is not a URL', () => {
    const problem = parseProblem(withFrontMatter('title: T\ndate: 2025-02-03'), 'a.md', {
      ...OPTIONS,
      siteUrl: 'not a url',
    });
    expect(problem.message).toContain('not a valid URL');
  });
});
