import { describe, expect, it } from 'vitest';
import { parseOk, withFrontMatter } from './support.js';

/** A release shaped like the legacy export staff have: kicker, bold title, type/date line. */
function legacy(body: string): string {
  return `\n\n*Tästäkin selvitään.*\n\n## **Blogi: Ovet kiinni, verkko auki**\n\n**Tiedote** \u00a0 **9.4.2020 18:33**\n\nJohtaja kertoo, miten kaikki muuttui.\n\n${body}`;
}

describe('what staff wrote, once', () => {
  it.each([
    ['**\\*\\*\\***', 'bold escaped stars'],
    ['\\*\\*\\*', 'escaped stars'],
    ['***', 'Markdown stars'],
    ['* * *', 'spaced stars'],
    ['---', 'dashes'],
    ['_\\*\\*\\*_', 'italic escaped stars'],
  ])('reads %s (%s) between paragraphs as a scene break', (mark) => {
    const html = parseOk(legacy(`Ennen.\n\n${mark}\n\nJälkeen.\n`)).contentHtml;
    expect(html).toContain('<p>Ennen.</p>\n<hr />\n<p>Jälkeen.</p>');
    expect(html).not.toContain('*');
  });

  it('keeps stars that are part of a sentence', () => {
    const html = parseOk(legacy('Arvosana \\*\\*\\* eli kolme tähteä.\n')).contentHtml;
    expect(html).toContain('<p>Arvosana *** eli kolme tähteä.</p>');
  });

  it('shows the kicker and the first paragraph as the release has them, not twice', () => {
    const release = parseOk(legacy('Toinen kappale.\n'));
    expect(release.kicker).toBe('Tästäkin selvitään.');
    expect(release.summary).toBe('Johtaja kertoo, miten kaikki muuttui.');
    expect(release.summaryInBody).toBe(true);
    expect(release.contentHtml.match(/Johtaja kertoo/g)).toHaveLength(1);
  });

  it('does not mark a front-matter summary as part of the body', () => {
    const release = parseOk(
      withFrontMatter('title: T\ndate: 2025-02-03\nsummary: Oma tiivistelmä', 'Kappale.'),
    );
    expect(release.summaryInBody).toBeUndefined();
  });
});

describe('text that merely looks like markup', () => {
  it('stays text in plain-text fields, escaped once wherever it is written', () => {
    const release = parseOk(
      withFrontMatter(
        'title: "Liput <ilmaiseksi> kun a<b"\ndate: 2025-02-03\nauthor: Tekninen <kvp>\ntags: ["<kvp>", "a<b"]\nsummary: "Ilmoittaudu <kvp> mennessä"',
        'Teksti.',
      ),
    );
    expect(release.title).toBe('Liput <ilmaiseksi> kun a<b');
    expect(release.author).toBe('Tekninen <kvp>');
    expect(release.tags).toEqual(['<kvp>', 'a<b']);
    expect(release.summary).toBe('Ilmoittaudu <kvp> mennessä');
  });

  it('stays text in the body', () => {
    const html = parseOk(
      withFrontMatter('title: T\ndate: 2025-02-03', 'Liput <ilmaiseksi> ovelta, a<b.'),
    ).contentHtml;
    expect(html).toContain('<p>Liput &lt;ilmaiseksi&gt; ovelta, a&lt;b.</p>');
  });

  it('never lets what a removed script or style held leak into the summary or body', () => {
    const release = parseOk(
      withFrontMatter(
        'title: "Otsikko <script>alert(1)</script>"\ndate: 2025-02-03',
        'Alku <script>document.cookie</script><style>p{color:red}</style> loppu.\n\n<script>\nvar salainen = 1;\n</script>\n\nToinen.',
      ),
    );
    expect(release.title).toBe('Otsikko');
    expect(release.summary).toBe('Alku loppu.');
    for (const leaked of ['alert', 'document.cookie', 'color:red', 'salainen']) {
      expect(release.contentHtml).not.toContain(leaked);
    }
    expect(release.contentHtml).toContain('Alku');
    expect(release.contentHtml).toContain('<p>Toinen.</p>');
  });
});

describe('alt text of images in the body', () => {
  it('is alt="" on purpose when the Markdown or HTML gives none', () => {
    const html = parseOk(
      withFrontMatter(
        'title: T\ndate: 2025-02-03',
        '![](https://kuvat.example.fi/a.jpg)\n\n<img src="https://kuvat.example.fi/b.jpg">\n\n<p><img src="https://kuvat.example.fi/c.jpg" alt="Kuvaus"></p>',
      ),
    ).contentHtml;
    const images = html.match(/<img [^>]*>/g) ?? [];
    expect(images).toHaveLength(3);
    expect(images[0]).toContain('alt=""');
    expect(images[1]).toContain('alt=""');
    expect(images[2]).toContain('alt="Kuvaus"');
  });
});

describe('images whose source is unusable', () => {
  it.each([
    '<img src="" alt="tyhjä">',
    '<img src="   " alt="välilyönti">',
    '<img src="#" alt="risuaita">',
    '<img src="?koko=iso" alt="kysely">',
    '<img src="mailto:a@example.fi" alt="posti">',
    '<img src="javascript:alert(1)" alt="skripti">',
    '<img alt="ei lähdettä">',
    '![risuaita](#)',
    '![tyhjä]()',
    // The release's own page, written out in full (parsed or not, the same page).
    '![sivu](https://tiedotteet.example.fi/releases/tiedote.html)',
    '![sivu](https://tiedotteet.example.fi/releases/tiedote.html?koko=iso#a)',
    '![sivu](HTTPS://tiedotteet.example.fi/releases/tiedote.html)',
  ])('drops %s rather than pointing it at a broken address', (image) => {
    const html = parseOk(
      withFrontMatter('title: T\ndate: 2025-02-03', `Alku ${image} loppu.`),
    ).contentHtml;
    expect(html).not.toContain('<img');
    expect(html).toContain('Alku');
  });
});
