import { describe, expect, it } from 'vitest';
import { toPlainText, truncateAtWord } from '../../src/release/plain-text.js';
import { hasMarkup, parseOk, parseProblem, withFrontMatter } from './support.js';

describe('plain-text fields', () => {
  it.each([
    ['**Lihava** ja *kursiivi* ja __alleviivaus__', 'Lihava ja kursiivi ja alleviivaus'],
    // What a script or style holds is code, never words.
    ['<b>tagi</b> <script>alert(1)</script>', 'tagi'],
    ['<scr<script>ipt>alert(1)</script>', '<scr'],
    ['a <style>p { color: red }</style>b', 'a b'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;ok', 'ok'],
    // Text that merely looks like markup is text.
    ['a<b', 'a<b'],
    ['Liput <ilmaiseksi> ovelta', 'Liput <ilmaiseksi> ovelta'],
    ['Ilmoittautuminen <kvp>', 'Ilmoittautuminen <kvp>'],
    ['a &lt;kvp&gt; b', 'a <kvp> b'],
    // Decoded once, and what then reads as a tag still goes: plain text never carries tags.
    ['a &lt;b&gt; c', 'a c'],
    ['a &amp;lt;b&amp;gt; c', 'a &lt;b&gt; c'],
    ['Tom &amp; Jerry &amp;amp;', 'Tom & Jerry &amp;'],
    ['rivi\nrivi\r\ntoinen\u2028kolmas', 'rivi rivi toinen kolmas'],
    ['väli\u00a0\u00a0NBSP\t sarkain', 'väli NBSP sarkain'],
    ['[linkki](https://example.fi) ja ![kuva](k.jpg)', 'linkki ja kuva'],
    ['`koodi` \\*tähti\\*', 'koodi *tähti*'],
    ['5 < 6 ja 7 > 3', '5 < 6 ja 7 > 3'],
    ['** **', ''],
    ['Ohjaus\u0007merkki\u0000', 'Ohjausmerkki'],
    ['&#0;nolla', 'nolla'],
  ])('%j → %j', (input, expected) => {
    expect(toPlainText(input)).toBe(expected);
  });

  it('never leaves a tag of a real HTML element, a comment or a processing instruction', () => {
    for (const input of ['<<b>b>', '<<<a>>>', '<a<b>c>', '< a>', '<!---->x', '<?php ?>']) {
      expect(hasMarkup(toPlainText(input))).toBe(false);
    }
  });

  it('keeps CR and LF out of title, summary, author and kicker', () => {
    const release = parseOk(
      withFrontMatter(
        'title: "Otsikko\\r\\nBcc: kaikki@example.fi"\ndate: 2025-02-03\nauthor: "A\\nB"\nsummary: |\n  Rivi yksi\n  Rivi kaksi',
      ),
    );
    for (const value of [release.title, release.author, release.summary]) {
      expect(value).not.toMatch(/[\r\n]/);
    }
    expect(release.title).toBe('Otsikko Bcc: kaikki@example.fi');
    expect(release.summary).toBe('Rivi yksi Rivi kaksi');
  });

  it('rejects a title that is empty once markup is removed', () => {
    const problem = parseProblem(withFrontMatter('title: "<b></b>"\ndate: 2025-02-03'));
    expect(problem).toMatchObject({ field: 'title', line: 2 });
  });

  it('rejects a heading title that is empty once markup is removed', () => {
    const problem = parseProblem('# <span></span>\n\n**9.4.2020**\n\nTeksti.\n');
    expect(problem.field).toBe('title');
  });

  it('accepts a 300-character title and rejects 301', () => {
    const title = 'a'.repeat(300);
    expect(parseOk(withFrontMatter(`title: ${title}\ndate: 2025-02-03`)).title).toBe(title);
    expect(parseProblem(withFrontMatter(`title: ${title}b\ndate: 2025-02-03`)).field).toBe('title');
  });

  it('truncates a long summary at a word boundary with an ellipsis', () => {
    const words = Array.from({ length: 200 }, (_, i) => `sana${i}`).join(' ');
    const release = parseOk(withFrontMatter('title: T\ndate: 2025-02-03', words));
    expect(release.summary?.length).toBeLessThanOrEqual(500);
    expect(release.summary?.endsWith('…')).toBe(true);
    expect(words.startsWith(release.summary?.slice(0, -1) ?? 'x')).toBe(true);
    expect(release.summary?.slice(0, -1)).toMatch(/sana\d+$/);
  });

  it('uses the front-matter summary over the first paragraph', () => {
    const release = parseOk(
      withFrontMatter('title: T\ndate: 2025-02-03\nsummary: Oma *tiivistelmä*', 'Kappale.'),
    );
    expect(release.summary).toBe('Oma tiivistelmä');
  });

  it('has no summary when there is no text', () => {
    expect(parseOk(withFrontMatter('title: T\ndate: 2025-02-03', '')).summary).toBeUndefined();
  });

  describe('truncateAtWord', () => {
    it('leaves short text alone', () => {
      expect(truncateAtWord('lyhyt teksti', 500)).toBe('lyhyt teksti');
    });

    it('cuts at the last space and drops trailing punctuation', () => {
      expect(truncateAtWord('yksi kaksi, kolme neljä', 15)).toBe('yksi kaksi…');
    });

    it('cuts inside a word when there is no space in reach', () => {
      expect(truncateAtWord('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
    });
  });
});
