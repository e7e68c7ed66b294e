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

const TYPES = ['Tiedote', 'Blogi', 'Uutinen', 'Kuulutus'] as const;
const LANGS = ['fi', 'fi', 'fi', 'fi', 'fi', 'fi', 'sv', 'sv', 'en', 'en'] as const;
const WORDS =
  'kaupunki asukkaat palvelu kirjasto koulu liikenne kesä talvi kevät syksy tiedote valtuusto hallitus päätös avoin kokous katu puisto uimahalli terveys nuoret ikäihmiset kulttuuri teatteri museo tapahtuma ilmoittautuminen hakemus rakentaminen kaava ympäristö vesi sähkö jäte kierrätys pyöräily bussi juna asema tori satama ranta metsä'.split(
    ' ',
  );

function sentence(random: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]);
  const text = picked.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number): string {
  return Array.from({ length: 4 + Math.floor(random() * 3) }, () =>
    sentence(random, 6 + Math.floor(random() * 8)),
  ).join(' ');
}

/** One release of about 4 KB: front matter, headings, paragraphs, a list, links and emphasis. */
export function generateRelease(index: number, seed = 1): { path: string; text: string } {
  const random = mulberry32(seed * 100_003 + index);
  const type = TYPES[index % TYPES.length] ?? 'Tiedote';
  const lang = LANGS[index % LANGS.length] ?? 'fi';
  // Spread over 2015–2025 at a fixed hour so dates are unique-ish and never in the future.
  const published = new Date(Date.UTC(2015, 0, 1, 8, 0) + index * 8 * 3600 * 1000);
  const year = published.getUTCFullYear();
  const title = `${sentence(random, 5).slice(0, -1)} ${index}`;
  const body: string[] = [];
  while (body.join('\n\n').length < 3400) {
    body.push(`## ${sentence(random, 3).slice(0, -1)}`);
    body.push(paragraph(random));
    body.push(
      `Lisätietoja saa [kaupungin verkkosivuilta](https://www.example.fi/palvelut/${index}) ja *kirjastosta*.`,
    );
    body.push(`- ${sentence(random, 4)}\n- ${sentence(random, 5)}\n- **${sentence(random, 3)}**`);
    body.push(paragraph(random));
  }
  const text = [
    '---',
    `title: "${title}"`,
    `type: ${type}`,
    `date: ${published.toISOString().replace('.000Z', 'Z')}`,
    `lang: ${lang}`,
    'author: Viestintä',
    `summary: "${sentence(random, 14)}"`,
    `tags: [${WORDS[index % WORDS.length]}, ${WORDS[(index * 7) % WORDS.length]}]`,
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
  return { path: `${year}/release-${String(index).padStart(5, '0')}.md`, text };
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
