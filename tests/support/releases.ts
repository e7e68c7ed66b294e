import { generateRelease } from '../../bench/generate.js';
import type { Release } from '../../src/release/types.js';
import { nameBasedUrn, slugify } from '../../src/shared/text.js';
import type { SiteConfig } from '../../src/site/config.js';

/** The site every feed, page and build test uses. */
export const TEST_SITE: SiteConfig = {
  siteUrl: 'https://tiedotteet.example.fi',
  title: 'Esimerkkilä',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
  feedLimit: 50,
};

/**
 * A release as the parser would produce it: `id`, `slug` and `url` follow the contract in
 * docs/architecture.md unless given. Everything else has a plain Finnish default.
 */
export function makeRelease(fields: Partial<Release> = {}, site: SiteConfig = TEST_SITE): Release {
  const sourcePath = fields.sourcePath ?? 'tiedotteet/uimahalli.md';
  const slug =
    fields.slug ?? (slugify(sourcePath.replace(/\.md$/, '').replaceAll('/', '-')) || 'x');
  return {
    id: nameBasedUrn(`${new URL(site.siteUrl).host}:${sourcePath.normalize('NFC')}`),
    sourcePath,
    slug,
    title: 'Uimahalli avautuu',
    category: 'Tiedote',
    categorySlug: 'tiedote',
    lang: 'fi',
    published: new Date('2020-04-09T15:33:00Z'),
    tags: [],
    contentHtml: '<p>Uimahalli avautuu taas maanantaina.</p>',
    url: `${site.siteUrl}/releases/${slug}.html`,
    ...fields,
  };
}

/**
 * A varied, realistic set: Finnish, Swedish, English and Arabic (RTL) text, `&` and `<` in titles,
 * emoji, authors, images, tags, an edited release, a long body and a release with no summary.
 */
export function realisticReleases(site: SiteConfig = TEST_SITE): Release[] {
  const longBody = Array.from(
    { length: 40 },
    (_, i) =>
      `<p>Kappale ${i + 1}: Kaupunginhallitus käsitteli maanantaina ehdotusta, jonka mukaan ` +
      `<a href="${site.siteUrl}/liitteet/${i}.pdf">liite ${i + 1}</a> &amp; muut asiakirjat ` +
      'julkaistaan. Äänestys päättyi äänin 8–3.</p>',
  ).join('\n');
  return [
    makeRelease(
      {
        sourcePath: 'tiedotteet/2020/uimahalli.md',
        title: 'Uimahalli & kuntosali avautuvat – "turvavälit" <pidetään>',
        summary:
          'Itäkeskuksen uimahalli avautuu maanantaina 14.4. klo 6.30 & kuntosali heti perään.',
        kicker: 'Liikunta',
        author: 'Liikuntapalvelut / Maija Meikäläinen',
        tags: ['liikunta', 'korona'],
        image: `${site.siteUrl}/kuvat/uimahalli.jpg`,
        contentHtml:
          '<p>Uimahalli on ollut suljettuna <strong>koronaviruksen</strong> vuoksi.</p>' +
          `<p><img src="${site.siteUrl}/kuvat/allas.png" alt="Tyhjä allas"></p>`,
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'tiedotteet/2020/talousarvio.md',
        title: 'Talousarvio 2021: investoinnit < 100 M€ 📉',
        category: 'Päätös',
        categorySlug: 'paatos',
        summary: 'Kaupunginvaltuusto hyväksyi talousarvion.',
        published: new Date('2020-04-09T09:00:00Z'),
        updated: new Date('2020-04-10T12:15:00Z'),
        contentHtml: longBody,
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'pressmeddelanden/simhallen.md',
        title: 'Simhallen öppnar på måndag',
        // As the parser reads it: the category Tiedote, labelled in Swedish.
        category: 'Pressmeddelande',
        categorySlug: 'tiedote',
        lang: 'sv',
        summary: 'Simhallen i Östra centrum öppnar på måndag.',
        author: 'Idrottstjänster',
        published: new Date('2020-04-08T10:00:00Z'),
        image: `${site.siteUrl}/bilder/simhallen.webp`,
        contentHtml: '<p>Simhallen har varit stängd sedan mars.</p>',
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'news/library.md',
        title: 'City library extends its opening hours 📚',
        category: 'News',
        categorySlug: 'news',
        lang: 'en',
        summary: "The city's main library is open until 22 o'clock from May.",
        published: new Date('2020-04-07T07:30:00Z'),
        contentHtml: '<p>From 1 May the main library is open <em>every day</em>.</p>',
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'tiedotteet/arabia.md',
        title: 'المكتبة مفتوحة يوم الاثنين',
        lang: 'ar',
        summary: 'تفتح المكتبة الرئيسية أبوابها يوم الاثنين.',
        published: new Date('2020-04-06T08:00:00Z'),
        contentHtml: '<p dir="rtl">تفتح المكتبة الرئيسية أبوابها يوم الاثنين.</p>',
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'tiedotteet/2020/katutyot.md',
        title: 'Katutöitä Mannerheimintiellä',
        published: new Date('2020-04-05T06:00:00Z'),
        contentHtml: '<p>Liikenne ohjataan kiertotielle.</p><ul><li>Yksi</li><li>Kaksi</li></ul>',
      },
      site,
    ),
  ];
}

/**
 * Releases written to break naive feed writers: markup-like and entity-like plain text, `]]>` in
 * text and HTML, XML-illegal control characters, quotes in tags, an image URL with a query string
 * and no extension, an empty body, and two releases published at the same instant.
 */
export function awkwardReleases(site: SiteConfig = TEST_SITE): Release[] {
  return [
    makeRelease(
      {
        sourcePath: 'hankalat/merkit.md',
        title: 'AT&amp;T ]]> <b>ei lihavoitu</b> & "lainaus" \u0007kello',
        category: 'Kulttuuri & <vapaa-aika>',
        categorySlug: 'kulttuuri-vapaa-aika',
        summary: 'Tiivistelmä, jossa on ]]> ja <script>alert(1)</script> tekstinä.',
        kicker: 'Tapahtumat & <ilmiöt>',
        author: 'Viestintä & markkinointi <info@example.fi>',
        tags: ['"lainattu"', 'a&b', 'Kulttuuri & <vapaa-aika>', ''],
        image: `${site.siteUrl}/kuva?id=1&koko=iso`,
        published: new Date('2021-01-15T10:00:00Z'),
        contentHtml: '<p>Kaksi ]]> ja toinen ]]> sekä \u0001ohjausmerkki.</p>',
      },
      site,
    ),
    makeRelease(
      {
        sourcePath: 'hankalat/tyhja.md',
        title: 'Tyhjä tiedote',
        category: 'Kulttuuri & <vapaa-aika>',
        categorySlug: 'kulttuuri-vapaa-aika',
        published: new Date('2021-01-15T10:00:00Z'),
        contentHtml: '',
      },
      site,
    ),
  ];
}

/**
 * bench/generate.ts's release `index` dated in 2024 (a leap year, so every generated day exists):
 * for CLI builds of a few hundred files that test threads, caches or media rather than archives.
 * Spread over 2005–2025, 260 releases make some 2,900 files a build, four in five of them archive
 * feed pages; in one year about 630.
 */
export function releaseOf2024(index: number, seed: number): { path: string; text: string } {
  const { path, text } = generateRelease(index, seed);
  return { path, text: text.replace(/^date: \d{4}-/m, 'date: 2024-') };
}

/** Public URLs of {@link releaseWithMedia}'s picture and PDF, as feeds and pages must show them. */
export const MEDIA_URLS = {
  picture: 'https://tiedotteet.example.fi/media/2020/kuva.jpg',
  attachment: 'https://tiedotteet.example.fi/media/2020/Liite%20%C3%A4.pdf',
} as const;

/**
 * A blog post with a kicker, a lead picture (measured: 640×480, 1,358 bytes) and a PDF whose name
 * needs percent-encoding, as the media step leaves a release; `fields` adds or overrides.
 */
export function releaseWithMedia(fields: Partial<Release> = {}): Release {
  return makeRelease({
    sourcePath: '2020/blogi.md',
    title: 'Blogi: Ovet kiinni',
    kicker: 'Tästäkin <selvitään>.',
    image: MEDIA_URLS.picture,
    imageAlt: 'Kaupungintalo & tori',
    media: [
      {
        sourcePath: '2020/kuva.jpg',
        publicPath: 'media/2020/kuva.jpg',
        url: MEDIA_URLS.picture,
        file: { kind: 'image', contentType: 'image/jpeg', length: 1358, width: 640, height: 480 },
      },
      {
        sourcePath: '2020/Liite ä.pdf',
        publicPath: 'media/2020/Liite ä.pdf',
        url: MEDIA_URLS.attachment,
        file: { kind: 'document', contentType: 'application/pdf', length: 580 },
      },
    ],
    ...fields,
  });
}
