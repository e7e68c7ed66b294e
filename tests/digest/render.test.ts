import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ITEMS, personalize, prepareIssue, releasesFor } from '../../src/digest/render.js';
import {
  loadTemplateSource,
  type TemplateSource,
  VariantCache,
} from '../../src/digest/templates.js';
import type { MailKind } from '../../src/digest/types.js';
import { LANGS } from '../../src/subscribers/types.js';
import { recipient, release, SITE } from './fixtures.js';

const SLOT = new Date('2026-11-28T06:00:00Z');
let source: TemplateSource;

beforeAll(async () => {
  source = await loadTemplateSource();
});

const RELEASES = [
  release('uimahalli', '2026-11-27T10:15:00Z'),
  release('blogi-kevat', '2026-11-27T12:00:00Z', { category: 'Blogi', categorySlug: 'blogi' }),
  release('simhall', '2026-11-27T14:30:00Z', {
    lang: 'sv',
    category: 'Pressmeddelande',
    categorySlug: 'pressmeddelande',
  }),
  release('pool', '2026-11-28T05:00:00Z', {
    lang: 'en',
    image: 'https://tiedotteet.example.fi/kuvat/pool.jpg',
    imageAlt: 'Children & a lifeguard at the "new" pool',
  }),
  release('kirjasto', '2026-11-26T08:00:00Z', {
    image: 'https://tiedotteet.example.fi/media/kirjasto.png',
    kicker: 'Tästäkin <selvitään>.',
  }),
];

async function render(kind: MailKind, lang: 'fi' | 'sv' | 'en', who = recipient('a', { lang })) {
  const cache = new VariantCache(source, SITE);
  const issue = prepareIssue(await cache.variant(kind, lang), RELEASES, SITE, SLOT);
  return personalize(issue, who, releasesFor(who, RELEASES));
}

describe('digest rendering', () => {
  it('lists every release with title, type, local date, summary and read-more link, in both parts', async () => {
    const mail = await render('daily', 'fi');
    for (const r of RELEASES) {
      expect(mail.html).toContain(r.title);
      expect(mail.text).toContain(r.title);
      expect(mail.html).toContain(`href="${r.url}"`);
      expect(mail.text).toContain(r.url);
      expect(mail.html).toContain(r.summary);
      expect(mail.text).toContain(r.summary);
      expect(mail.text).toContain(r.category);
    }
    // 10.15 UTC is 12.15 in Helsinki in November.
    expect(mail.html).toContain('27.11.2026 klo 12.15');
    expect(mail.text).toContain('27.11.2026 klo 12.15');
    // Newest first.
    expect(mail.text.indexOf('Otsikko pool')).toBeLessThan(mail.text.indexOf('Otsikko uimahalli'));
  });

  it("names the city and the date in the subject, in the subscriber's language", async () => {
    expect((await render('daily', 'fi')).subject).toBe('Esimerkkilä: päivän tiedotteet 28.11.2026');
    expect((await render('daily', 'sv')).subject).toBe(
      'Esimerkkilä: dagens pressmeddelanden 28.11.2026',
    );
    expect((await render('weekly', 'en')).subject).toBe(
      "Esimerkkilä: this week's press releases, 28 November 2026",
    );
    const sv = await render('daily', 'sv');
    expect(sv.html).toContain('27.11.2026 kl. 12.15');
    expect(sv.text).toContain('Läs mer');
  });

  it('shows only the categories and languages the subscriber chose', async () => {
    const blogOnly = await render('daily', 'fi', recipient('b', { categories: ['blogi'] }));
    expect(blogOnly.html).toContain('Otsikko blogi-kevat');
    expect(blogOnly.html).not.toContain('Otsikko uimahalli');
    expect(blogOnly.text).not.toContain('Otsikko simhall');
    const swedish = await render('daily', 'sv', recipient('c', { lang: 'sv', languages: ['sv'] }));
    expect(swedish.html).toContain('Otsikko simhall');
    expect(swedish.text).not.toContain('Otsikko uimahalli');
    expect(swedish.html).not.toContain('Otsikko pool');
    expect(releasesFor(recipient('d', { categories: ['kuulutus'] }), RELEASES)).toEqual([]);
  });

  it('puts the footer with the unsubscribe and preferences links and why they get the mail', async () => {
    const mail = await render('daily', 'fi');
    expect(mail.html).toContain('href="https://tiedotteet.example.fi/api/unsubscribe?token=tok-a"');
    expect(mail.html).toContain('href="https://tiedotteet.example.fi/api/preferences?token=tok-a"');
    expect(mail.text).toContain(
      'Peru tilaus: https://tiedotteet.example.fi/api/unsubscribe?token=tok-a',
    );
    expect(mail.text).toContain('a@example.org');
    expect(mail.html).toContain('kaikki aiheet, kerran päivässä');
  });

  it('escapes release text and recipient data in the HTML, and keeps them verbatim in the text', async () => {
    const evil = release('paha', '2026-11-27T10:00:00Z', {
      title: 'Tom & Jerry <script>alert(1)</script>',
      summary: '"Lainaus" <b>ei lihavoitu</b>',
    });
    const cache = new VariantCache(source, SITE);
    const issue = prepareIssue(await cache.variant('daily', 'fi'), [evil], SITE, SLOT);
    const who = recipient('e', {
      unsubscribeUrl: 'https://tiedotteet.example.fi/api/unsubscribe?token=x&y="z"',
    });
    const mail = personalize(issue, who, [evil]);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&quot;Lainaus&quot; &lt;b&gt;');
    expect(mail.html).toContain('token=x&amp;y=&quot;z&quot;');
    expect(mail.text).toContain('Tom & Jerry <script>alert(1)</script>');
  });

  it('stays under 102 KB of HTML with 30 releases at their longest, with images', async () => {
    const long = Array.from({ length: 30 }, (_, i) =>
      release(
        `pitka-${'x'.repeat(60)}-${i}`,
        `2026-11-27T${String(10 + (i % 12)).padStart(2, '0')}:00:00Z`,
        {
          title: `Ä & ${'Pitkä otsikko '.repeat(30)}`,
          summary: `<&> ${'Pitkä tiivistelmä sanoineen. '.repeat(40)}`,
          category: 'Kaupunginhallituksen päätökset',
          image: `https://tiedotteet.example.fi/kuvat/${'kuva-'.repeat(20)}${i}.jpg`,
        },
      ),
    );
    for (const lang of LANGS) {
      const cache = new VariantCache(source, SITE);
      const issue = prepareIssue(await cache.variant('weekly', lang), long, SITE, SLOT);
      const mail = personalize(issue, recipient('f', { lang, categories: ['a', 'b', 'c'] }), long);
      expect(Buffer.byteLength(mail.html, 'utf8')).toBeLessThan(102_000);
      expect(mail.html.match(/<h2 /g)).toHaveLength(30);
    }
  });

  it(`shows at most ${MAX_ITEMS} releases and points to the site for the rest`, async () => {
    const many = Array.from({ length: MAX_ITEMS + 5 }, (_, i) =>
      release(`r${i}`, new Date(Date.UTC(2026, 10, 27, 7, i)).toISOString()),
    );
    const cache = new VariantCache(source, SITE);
    const issue = prepareIssue(await cache.variant('weekly', 'fi'), many, SITE, SLOT);
    const mail = personalize(issue, recipient('g'), many);
    expect(mail.html.match(/<h2 /g)).toHaveLength(MAX_ITEMS);
    expect(mail.text).toContain('35 uutta tiedotetta');
    expect(mail.text).toContain(
      'Lisää tiedotteita on luettavissa osoitteessa https://tiedotteet.example.fi.',
    );
  });

  it('shows image_alt as the picture\'s alt text, and alt="" on purpose when there is none', async () => {
    const mail = await render('daily', 'fi');
    expect(mail.html).toMatch(
      /<img\s[^>]*alt="Children &amp; a lifeguard at the &quot;new&quot; pool"[^>]*kuvat\/pool\.jpg/,
    );
    expect(mail.html).toMatch(/<img\s[^>]*alt=""[^>]*media\/kirjasto\.png/);
  });

  it('puts the kicker as an italic line right above the title, in HTML and text', async () => {
    const mail = await render('daily', 'fi');
    expect(mail.html).toMatch(
      /<p class="kicker" style="[^"]*font-style:italic;[^"]*">Tästäkin &lt;selvitään&gt;\.<\/p><h2[^>]*><a [^>]*>Otsikko kirjasto<\/a>/,
    );
    expect(mail.text).toContain('Tästäkin <selvitään>.\nOtsikko kirjasto\n');
    expect(mail.html.match(/class="kicker"/g)).toHaveLength(1);
  });

  it('has lang, a preheader, dark-mode support and alt text on every image in every variant', async () => {
    const cache = new VariantCache(source, SITE);
    for (const kind of ['daily', 'weekly', 'immediate'] as const) {
      for (const lang of LANGS) {
        const issue = prepareIssue(await cache.variant(kind, lang), RELEASES, SITE, SLOT);
        const mail = personalize(
          issue,
          recipient('h', { lang }),
          kind === 'immediate' ? RELEASES.slice(3) : RELEASES,
        );
        expect(mail.html).toMatch(new RegExp(`<html[^>]* lang="${lang}"`));
        expect(mail.html).toContain('<meta name="color-scheme" content="light dark"');
        expect(mail.html).toContain('prefers-color-scheme: dark');
        const preheader = /<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(mail.html)?.[1];
        expect(preheader?.length).toBeGreaterThan(10);
        const images = mail.html.match(/<img\s[^>]*>/g) ?? [];
        expect(images.length).toBeGreaterThan(0);
        for (const image of images) expect(image).toMatch(/\salt="[^"]*"/);
      }
    }
  });

  it('shows the single release of an immediate mail with its title in the subject', async () => {
    const only = RELEASES.slice(0, 1);
    const cache = new VariantCache(source, SITE);
    const issue = prepareIssue(await cache.variant('immediate', 'en'), only, SITE, SLOT);
    const mail = personalize(issue, recipient('i', { lang: 'en' }), only);
    expect(mail.subject).toBe('Esimerkkilä: Otsikko uimahalli');
    expect(mail.html).toContain('New press release');
    expect(mail.text).toContain('as soon as they are published');
  });

  it('prepares each variant once, however many recipients', async () => {
    const cache = new VariantCache(source, SITE);
    for (let i = 0; i < 200; i += 1) {
      const lang = LANGS[i % 3] ?? 'fi';
      const issue = prepareIssue(await cache.variant('daily', lang), RELEASES, SITE, SLOT);
      personalize(issue, recipient(`r${i}`, { lang }), RELEASES);
    }
    expect(cache.prepared).toBe(3);
  });

  it('rejects a template without its item block or with an unknown site slot, every time', async () => {
    const html = (digest: string) => ({
      ...source.html,
      digest: { ...source.html.digest, fi: digest },
    });
    const noItems = { ...source, html: html(source.html.digest.fi.replace('<!-- item -->', '')) };
    const cache = new VariantCache(noItems, SITE);
    await expect(cache.variant('daily', 'fi')).rejects.toThrow(/no <!-- item -->/);
    await expect(cache.variant('daily', 'fi')).rejects.toThrow(/no <!-- item -->/);
    const unknown = { ...source, html: html(`[[mayor]]${source.html.digest.fi}`) };
    await expect(new VariantCache(unknown, SITE).variant('daily', 'fi')).rejects.toThrow(
      /Unknown slot \[\[mayor\]\]/,
    );
  });
});
