import { FIELD_NAMES } from './front-matter.js';

/**
 * Suggestions for front-matter keys this system does not read, for the messages staff see when a
 * release lacks its title or date: field names are English, and staff write `otsikko` or `titel`.
 */

/** The field names of docs/release-format.md in Finnish and Swedish, as staff may write them. */
const TRANSLATED: Record<string, string> = {
  otsikko: 'title',
  rubrik: 'title',
  tyyppi: 'type',
  typ: 'type',
  päivämäärä: 'date',
  päiväys: 'date',
  pvm: 'date',
  datum: 'date',
  päivitetty: 'updated',
  uppdaterad: 'updated',
  kieli: 'lang',
  språk: 'lang',
  kirjoittaja: 'author',
  tekijä: 'author',
  författare: 'author',
  tiivistelmä: 'summary',
  ingress: 'summary',
  sammanfattning: 'summary',
  avainsanat: 'tags',
  tunnisteet: 'tags',
  taggar: 'tags',
  kuva: 'image',
  bild: 'image',
};

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

function meantField(key: string): string | undefined {
  const lower = key.toLowerCase();
  const translated = TRANSLATED[lower];
  if (translated !== undefined) return translated;
  return FIELD_NAMES.find((field) => editDistance(lower, field) <= (field.length > 4 ? 2 : 1));
}

/** Levenshtein distance; the strings are short field names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
