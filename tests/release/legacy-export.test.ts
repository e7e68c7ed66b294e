import { describe, expect, it } from 'vitest';
import { fixture, parseOk, parseProblem } from './support.js';

const NBSP = '\u00a0';

describe('parseRelease with the front-matter-less legacy export', () => {
  it('reads kicker, title, type, date and summary from the Finnish export', () => {
    const release = parseOk(fixture('good/legacy-export-fi.md'), '2025/jaahalli.md');

    expect(release).toMatchObject({
      kicker: 'Torikin talvi alkaa tästä.',
      title: 'Blogi: Jäähalli saa uuden katon',
      category: 'Tiedote',
      categorySlug: 'tiedote',
      lang: 'fi',
      summary: 'Liikuntajohtaja Maija Esimerkki kertoo, miksi jäähallin katto uusitaan nyt.',
      tags: [],
    });
    expect(release.published.toISOString()).toBe('2025-01-09T12:05:00.000Z');
    expect(release.author).toBeUndefined();
  });

  it('leaves the kicker, title heading and type/date line out of the body', () => {
    const html = parseOk(fixture('good/legacy-export-fi.md')).contentHtml;

    expect(html.startsWith('<p>Liikuntajohtaja Maija Esimerkki kertoo')).toBe(true);
    expect(html).not.toContain('Torikin talvi');
    expect(html).not.toContain('Jäähalli saa uuden katon');
    expect(html).not.toContain('9.1.2025');
    expect(html).not.toContain(NBSP);
    expect(html).toContain('<h2>Lisää luettavaa</h2>');
    expect(html).toContain('<p><em>Esimerkkilän kaupungin liikuntajohtaja</em></p>');
  });

  it('reads escaped or bold asterisks on a line of their own as a scene break', () => {
    const html = parseOk(fixture('good/legacy-export-fi.md')).contentHtml;
    expect(html).not.toContain('***');
    expect(html).not.toContain('\\*');
    expect(html.match(/<hr \/>/g)?.length).toBe(2);
  });

  it('reads the Swedish export (kl. time, Pressmeddelande → sv)', () => {
    const release = parseOk(fixture('good/legacy-export-sv.md'));
    expect(release).toMatchObject({
      kicker: 'Ny tid för biblioteket.',
      title: 'Biblioteket i Exempelby öppnar på söndagar',
      category: 'Pressmeddelande',
      categorySlug: 'tiedote',
      lang: 'sv',
      summary: 'Från och med februari är huvudbiblioteket öppet också på söndagar.',
    });
    expect(release.published.toISOString()).toBe('2021-01-15T10:00:00.000Z');
  });

  it('reads the English export (no kicker, ISO date, | separator)', () => {
    const release = parseOk(fixture('good/legacy-export-en.md'));
    expect(release).toMatchObject({
      title: 'City of Esimerkkilä wins accessibility award',
      category: 'News',
      lang: 'en',
    });
    expect(release.kicker).toBeUndefined();
    expect(release.published.toISOString()).toBe('2024-10-03T07:30:00.000Z');
    expect(release.contentHtml).not.toContain('News');
  });

  it.each([
    [`**Tiedote** ${NBSP}${NBSP} **9.4.2020 18:33**`, 'Tiedote'],
    [`**Tiedote**${NBSP}**9.4.2020 klo 18.33**`, 'Tiedote'],
    ['**Tiedote** **9.4.2020 18:33**', 'Tiedote'],
    [`**Tiedote | 9.4.2020 18:33**`, 'Tiedote'],
    [`Tiedote${NBSP}${NBSP}9.4.2020 18:33`, 'Tiedote'],
    ['Tiedote   9.4.2020 18:33', 'Tiedote'],
    [`**Tiedote** ${NBSP} **9.4.2020**${NBSP}**18:33**`, 'Tiedote'],
    ['**9.4.2020 18:33**', undefined],
    ['9.4.2020 18:33', undefined],
  ])('reads the type/date line %j', (line, type) => {
    const release = parseOk(`## **Otsikko**\n\n${line}\n\nEnsimmäinen kappale.\n`);
    expect(release.category).toBe(type ?? 'Tiedote');
    expect(release.published.toISOString()).toBe('2020-04-09T15:33:00.000Z');
    expect(release.contentHtml).toBe('<p>Ensimmäinen kappale.</p>\n');
  });

  it('does not mistake a first paragraph that mentions a date for the type/date line', () => {
    const problem = parseProblem(
      '## Otsikko\n\nKokous pidetään 9.4.2020 klo 18.00 kaupungintalolla.\n\nToinen kappale.\n',
    );
    expect(problem.field).toBe('date');
  });

  it('reports an impossible date on the type/date line with its line number', () => {
    const problem = parseProblem(fixture('bad/legacy-impossible-date.md'));
    expect(problem).toMatchObject({ line: 6, field: 'date' });
    expect(problem.message).toContain('29.2.2021 18:33');
  });

  it('reports an unreadable date on the type/date line with its line number', () => {
    const problem = parseProblem(`\n\n## **Otsikko**\n\n**Tiedote** ${NBSP} **9.4.20 klo 18**\n`);
    expect(problem).toMatchObject({ line: 5, field: 'date' });
    expect(problem.message).toContain('Write it like');
  });

  it('keeps an italic first line as body text when no heading follows it', () => {
    const release = parseOk(
      '---\ndate: 2025-02-03\n---\n\n*Vain kursiivia.*\n\nTeksti.\n\n# Otsikko myöhemmin\n',
    );
    expect(release.kicker).toBeUndefined();
    expect(release.title).toBe('Otsikko myöhemmin');
    expect(release.contentHtml).toContain('<em>Vain kursiivia.</em>');
  });

  it('accepts a setext heading as the title', () => {
    const release = parseOk(`Otsikko\n=======\n\n**Uutinen** ${NBSP} **9.4.2020**\n\nTeksti.\n`);
    expect(release).toMatchObject({ title: 'Otsikko', category: 'Uutinen' });
  });

  it('strips emphasis, links and HTML from the heading for the title', () => {
    const release = parseOk(
      `## **Blogi:** _[Kevät](https://example.fi)_ <span>tulee</span> &amp; \`koodi\`\n\n**9.4.2020**\n`,
    );
    expect(release.title).toBe('Blogi: Kevät tulee & koodi');
  });

  it('skips summary candidates that have no text', () => {
    const release = parseOk(
      `## Otsikko\n\n**9.4.2020**\n\n**\\*\\*\\***\n\n![](kuva.jpg)\n\nVarsinainen ingressi.\n`,
    );
    expect(release.summary).toBe('Varsinainen ingressi.');
  });
});
