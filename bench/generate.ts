import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteConfig } from '../src/site/config.js';
import { mulberry32 } from '../tests/support/random.js';

/** The site every benchmark builds. */
export const BENCH_SITE: SiteConfig = {
  siteUrl: 'https://tiedotteet.example.fi',
  title: 'Esimerkkilä',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
  feedLimit: 50,
};

/** The build benchmark's `--now`: every generated release is published before it. */
export const BENCH_NOW = '2026-01-01T00:00:00Z';
/** Generated releases are spread over 2005-01-01 up to {@link BENCH_NOW}. */
const FIRST = Date.UTC(2005, 0, 1);
const SPAN = Date.parse(BENCH_NOW) - FIRST;
// Weyl sequence: index × golden ratio mod 1 fills [0, 1) evenly for any count, so an archive of
// any size covers every year about equally and never runs past BENCH_NOW.
const GOLDEN = (Math.sqrt(5) - 1) / 2;

type Lang = 'fi' | 'sv' | 'en';
const LANG_SHARE: readonly Lang[] = ['fi', 'fi', 'fi', 'fi', 'fi', 'fi', 'fi', 'sv', 'sv', 'en'];
const TYPES: Record<Lang, readonly string[]> = {
  fi: ['Tiedote', 'Blogi', 'Uutinen', 'Kuulutus'],
  sv: ['Pressmeddelande', 'Blogg', 'Nyhet', 'Kungörelse'],
  en: ['Press release', 'Blog', 'News', 'Notice'],
};
const WORDS: Record<Lang, readonly string[]> = {
  fi: 'kaupunki asukkaat palvelu kirjasto koulu liikenne kesä talvi kevät syksy tiedote valtuusto hallitus päätös avoin kokous katu puisto uimahalli terveys nuoret ikäihmiset kulttuuri teatteri museo tapahtuma ilmoittautuminen hakemus rakentaminen kaava ympäristö vesi sähkö jäte kierrätys pyöräily bussi juna asema tori satama ranta metsä'.split(
    ' ',
  ),
  sv: 'staden invånare tjänst bibliotek skola trafik sommar vinter vår höst meddelande fullmäktige styrelse beslut öppen möte gata park simhall hälsa unga äldre kultur teater museum evenemang anmälan ansökan byggande plan miljö vatten el avfall återvinning cykling buss tåg station torg hamn strand skog'.split(
    ' ',
  ),
  en: 'city residents service library school traffic summer winter spring autumn notice council board decision open meeting street park swimming health youth seniors culture theatre museum event registration application construction plan environment water power waste recycling cycling bus train station square harbour beach forest'.split(
    ' ',
  ),
};
const LINK_TEXT: Record<Lang, string> = {
  fi: 'kaupungin verkkosivuilta',
  sv: 'stadens webbplats',
  en: "the city's website",
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, lang: Lang, words: number): string {
  const text = Array.from({ length: words }, () => pick(random, WORDS[lang])).join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, lang: Lang): string {
  return Array.from({ length: 4 + Math.floor(random() * 3) }, () =>
    sentence(random, lang, 6 + Math.floor(random() * 8)),
  ).join(' ');
}

// A small raw-HTML table, as staff paste from a spreadsheet (opening hours, results, prices).
function table(random: () => number, lang: Lang): string {
  const rows = 3 + Math.floor(random() * 5);
  const cell = () => pick(random, WORDS[lang]);
  const body = Array.from(
    { length: rows },
    (_, row) =>
      `<tr><td>${cell()}</td><td>${cell()} ${row + 1}</td><td>${8 + row}.00–16.00</td></tr>`,
  ).join('\n');
  return `<table>\n<thead><tr><th>${cell()}</th><th>${cell()}</th><th>${cell()}</th></tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Body section after section until `bytes`: headings, paragraphs, links, lists, images, tables. */
function body(random: () => number, lang: Lang, index: number, bytes: number, withTable: boolean) {
  const parts: string[] = [];
  let section = 0;
  while (parts.join('\n\n').length < bytes) {
    parts.push(`## ${sentence(random, lang, 3).slice(0, -1)}`, paragraph(random, lang));
    parts.push(
      `[${LINK_TEXT[lang]}](https://www.example.fi/palvelut/${index}/${section}) · *${pick(random, WORDS[lang])}* · <https://www.example.fi/${pick(random, WORDS[lang])}>`,
    );
    if (random() < 0.3) {
      parts.push(
        `![${sentence(random, lang, 4)}](https://www.example.fi/kuvat/${index}-${section}.jpg)`,
      );
    }
    parts.push(
      `- ${sentence(random, lang, 4)}\n- ${sentence(random, lang, 5)}\n- **${sentence(random, lang, 3)}**`,
    );
    if (withTable && section === 0) parts.push(table(random, lang));
    parts.push(paragraph(random, lang));
    section++;
  }
  return parts.join('\n\n');
}

/**
 * One release as staff write them: front matter, headings, paragraphs, lists, links and
 * emphasis, in Finnish (70 %), Swedish (20 %) or English (10 %), published at a working hour
 * between 2005 and {@link BENCH_NOW}. About one in ten has a raw-HTML table, one in ten a long
 * body (~16 KB, the rest 2–5 KB), a third a lead image, and images appear inside bodies too.
 * Deterministic for (`index`, `seed`); no two indexes share a path.
 */
export function generateRelease(index: number, seed = 1): { path: string; text: string } {
  const random = mulberry32(seed * 100_003 + index);
  const lang = LANG_SHARE[index % LANG_SHARE.length] ?? 'fi';
  const day = FIRST + Math.floor(((index * GOLDEN) % 1) * (SPAN / 86_400_000)) * 86_400_000;
  const minutes = (6 + Math.floor(random() * 9)) * 60 + Math.floor(random() * 60);
  const published = new Date(day + minutes * 60_000);
  const long = random() < 0.1;
  const withTable = random() < 0.1;
  const image = random() < 0.3;
  const title = `${sentence(random, lang, 5).slice(0, -1)} ${index}`;
  const text = [
    '---',
    `title: "${title}"`,
    `type: ${TYPES[lang][index % 4]}`,
    `date: ${published.toISOString().replace('.000Z', 'Z')}`,
    `lang: ${lang}`,
    'author: Viestintä',
    `summary: "${sentence(random, lang, 14)}"`,
    `tags: [${pick(random, WORDS[lang])}, ${pick(random, WORDS[lang])}]`,
    ...(image
      ? [
          `image: https://www.example.fi/kuvat/paakuva-${index}.jpg`,
          `image_alt: ${sentence(random, lang, 5).slice(0, -1)}`,
        ]
      : []),
    '---',
    '',
    body(random, lang, index, long ? 16_000 : 2_000 + Math.floor(random() * 3_000), withTable),
    '',
  ].join('\n');
  return {
    path: `${published.getUTCFullYear()}/release-${String(index).padStart(5, '0')}.md`,
    text,
  };
}

/** Writes `count` generated releases under `dir` (in year folders) and returns their total bytes. */
export async function generateArchive(dir: string, count: number, seed = 1): Promise<number> {
  let bytes = 0;
  const releases = Array.from({ length: count }, (_, index) => generateRelease(index, seed));
  const folders = new Set(releases.map((release) => join(dir, release.path, '..')));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  for (const release of releases) {
    bytes += Buffer.byteLength(release.text);
    await writeFile(join(dir, release.path), release.text);
  }
  return bytes;
}
