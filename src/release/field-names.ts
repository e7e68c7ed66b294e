import { closestName } from '../shared/edit-distance.js';
import { FIELD_NAMES, type FrontMatter } from './front-matter.js';
import type { ReleaseWarning } from './types.js';

/**
 * Suggestions for front-matter keys this system does not read: field names are English, and staff
 * write `otsikko`, `titel` or `sumary`. Used for warnings on accepted releases and for the
 * suggestion in the rejection of a release whose title or date is under such a key.
 */

/**
 * The field names of docs/release-format.md as staff write them in Finnish, Swedish, or other
 * common English names (WordPress, Hugo, Jekyll).
 */
const TRANSLATED: Record<string, string> = {
  otsikko: 'title',
  otsake: 'title',
  rubrik: 'title',
  tyyppi: 'type',
  laji: 'type',
  kategoria: 'type',
  luokka: 'type',
  typ: 'type',
  kategori: 'type',
  category: 'type',
  päivämäärä: 'date',
  päiväys: 'date',
  pvm: 'date',
  aika: 'date',
  julkaistu: 'date',
  julkaisuaika: 'date',
  julkaisupäivä: 'date',
  datum: 'date',
  publicerad: 'date',
  published: 'date',
  pubdate: 'date',
  päivitetty: 'updated',
  muokattu: 'updated',
  uppdaterad: 'updated',
  modified: 'updated',
  lastmod: 'updated',
  kieli: 'lang',
  språk: 'lang',
  language: 'lang',
  kirjoittaja: 'author',
  tekijä: 'author',
  laatija: 'author',
  författare: 'author',
  tiivistelmä: 'summary',
  ingressi: 'summary',
  ingress: 'summary',
  sammanfattning: 'summary',
  description: 'summary',
  excerpt: 'summary',
  avainsanat: 'tags',
  asiasanat: 'tags',
  tunnisteet: 'tags',
  taggar: 'tags',
  nyckelord: 'tags',
  keywords: 'tags',
  kuva: 'image',
  bild: 'image',
  kuvateksti: 'image_alt',
  kuvaus: 'image_alt',
  bildtext: 'image_alt',
  alt: 'image_alt',
  osoite: 'slug',
};

/**
 * The field `key` probably means: a translation (`otsikko` → `title`), or a known field within a
 * small edit distance, transpositions included (`sumary` → `summary`, `dtae` → `date`).
 */
export function meantField(key: string): string | undefined {
  const lower = key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const translated = TRANSLATED[lower];
  if (translated !== undefined) return translated;
  return closestName(lower, FIELD_NAMES);
}

/**
 * A sentence naming the keys the front matter has but this system ignores, each with the field
 * it probably means (`otsikko` → `title`, `titel` → `title`); empty when there are none.
 */
export function unknownKeysHint(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const named = keys.slice(0, 5).map((key) => {
    const meant = meantField(key);
    return meant === undefined ? `\`${key}\`` : `\`${key}\` (write \`${meant}\`)`;
  });
  const more = keys.length > 5 ? ` and ${keys.length - 5} more` : '';
  return ` This system does not read these fields: ${named.join(', ')}${more}.`;
}

/**
 * One warning per front-matter key this system does not read, at the key's line, with the field
 * it probably means, so a misspelled optional field (`sumary:`) is not silently ignored.
 */
export function unknownFieldWarnings(
  path: string,
  frontMatter: FrontMatter | undefined,
): ReleaseWarning[] {
  if (frontMatter === undefined) return [];
  return frontMatter.unknownKeys.map((key) => {
    const meant = meantField(key);
    const present = meant !== undefined && frontMatter.lineOf(meant) !== undefined;
    const advice =
      meant === undefined
        ? `The fields are ${FIELD_NAMES.join(', ')}.`
        : present
          ? `Did you mean \`${meant}\`? It is already set; remove this line.`
          : `Did you mean \`${meant}\`? Write \`${meant}:\`.`;
    const warning: ReleaseWarning = {
      path,
      field: key,
      message: `\`${key}\` is not a field this system reads, so it was ignored. ${advice}`,
    };
    const line = frontMatter.lineOf(key);
    if (line !== undefined) warning.line = line;
    return warning;
  });
}
