import * as v from 'valibot';
import { describeSettingIssue } from '../shared/schemas.js';
import { slugify } from '../shared/text.js';

/**
 * One category of releases: one key (its feed folder and subscription value) and a label per
 * language. A release's `type` matches it by any label or alias, whatever the letter case or
 * accents (`PRESSMEDDELANDE`, `kungorelse`).
 */
export interface CategoryDefinition {
  /** URL-safe key: `feeds/category/<key>/`, the value subscribers choose. */
  key: string;
  /** Label per language: `{ fi: 'Tiedote', sv: 'Pressmeddelande', en: 'Press release' }`. */
  labels: Readonly<Record<string, string>>;
  /** Other words staff write for it: `Lehdistötiedote`, `Mediatiedote`. */
  aliases?: readonly string[];
}

/** The built-in catalogue; `site.json`'s `categories` add to it or replace entries by key. */
export const DEFAULT_CATEGORIES: readonly CategoryDefinition[] = [
  {
    key: 'tiedote',
    labels: { fi: 'Tiedote', sv: 'Pressmeddelande', en: 'Press release' },
    aliases: ['Lehdistötiedote', 'Mediatiedote', 'Pressrelease', 'Pressmedelande'],
  },
  { key: 'uutinen', labels: { fi: 'Uutinen', sv: 'Nyhet', en: 'News' }, aliases: ['Nyheter'] },
  {
    key: 'kuulutus',
    labels: { fi: 'Kuulutus', sv: 'Kungörelse', en: 'Public notice' },
    aliases: ['Announcement', 'Notice'],
  },
  { key: 'blogi', labels: { fi: 'Blogi', sv: 'Blogg', en: 'Blog' }, aliases: ['Blogikirjoitus'] },
];

/** A catalogue ready for lookups. */
interface Catalogue {
  byWord: Map<string, CategoryDefinition>;
  byKey: Map<string, CategoryDefinition>;
}

const catalogues = new WeakMap<readonly CategoryDefinition[], Catalogue>();

function catalogueOf(definitions: readonly CategoryDefinition[]): Catalogue {
  let catalogue = catalogues.get(definitions);
  if (catalogue === undefined) {
    catalogue = { byWord: new Map(), byKey: new Map() };
    for (const definition of definitions) {
      catalogue.byKey.set(definition.key, definition);
      for (const word of [
        definition.key,
        ...Object.values(definition.labels),
        ...(definition.aliases ?? []),
      ]) {
        catalogue.byWord.set(slugify(word), definition);
      }
    }
    catalogues.set(definitions, catalogue);
  }
  return catalogue;
}

/** The catalogue category a release `type` names, or `undefined` for a type of its own. */
export function findCategory(
  type: string,
  definitions: readonly CategoryDefinition[] = DEFAULT_CATEGORIES,
): CategoryDefinition | undefined {
  return catalogueOf(definitions).byWord.get(slugify(type));
}

/**
 * The label of the category `key` for readers of `lang`: its label in that language, else in
 * `fallbackLang`, else `fallback` (an unknown type is shown as staff wrote it).
 */
export function categoryLabel(
  key: string,
  lang: string,
  fallback: string,
  definitions: readonly CategoryDefinition[] = DEFAULT_CATEGORIES,
  fallbackLang = 'en',
): string {
  const definition = catalogueOf(definitions).byKey.get(key);
  return definition?.labels[lang] ?? definition?.labels[fallbackLang] ?? fallback;
}

/** The labels of catalogue category `key` by language; empty for a type of its own. */
export function categoryLabels(
  key: string,
  definitions: readonly CategoryDefinition[] = DEFAULT_CATEGORIES,
): Readonly<Record<string, string>> {
  return catalogueOf(definitions).byKey.get(key)?.labels ?? {};
}

/** A folder a category's feed was published under before the catalogue merged its labels. */
export interface LegacyCategoryFeed {
  /** `pressmeddelande`: the slug of a label other than the key. */
  slug: string;
  /** The label's language. */
  lang: string;
}

/**
 * Where category `key`'s feeds were published before its labels were one category
 * (`pressmeddelande` (sv) and `press-release` (en) for `tiedote`): the category's feeds are
 * written there too, so readers subscribed to those addresses keep getting them.
 */
export function legacyCategoryFeeds(
  key: string,
  definitions: readonly CategoryDefinition[] = DEFAULT_CATEGORIES,
): LegacyCategoryFeed[] {
  const definition = catalogueOf(definitions).byKey.get(key);
  if (definition === undefined) return [];
  return Object.entries(definition.labels)
    .map(([lang, label]) => ({ slug: slugify(label), lang }))
    .filter((feed) => feed.slug !== key && feed.slug !== '')
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/**
 * The default catalogue with `extra` laid over it: an entry with a known key replaces that
 * category, a new key adds one. Checks shape, keys and that no word names two categories.
 * @returns the catalogue, or a message naming the problem.
 */
export function mergeCategories(
  extra: unknown,
  base: readonly CategoryDefinition[] = DEFAULT_CATEGORIES,
): CategoryDefinition[] | string {
  const parsed = v.safeParse(categoriesField, { categories: extra });
  if (!parsed.success) return describeSettingIssue(parsed.issues);
  const byKey = new Map(base.map((definition) => [definition.key, definition]));
  for (const definition of parsed.output.categories) byKey.set(definition.key, definition);
  const merged = [...byKey.values()];
  const owner = new Map<string, string>();
  for (const definition of merged) {
    for (const word of [...Object.values(definition.labels), ...(definition.aliases ?? [])]) {
      const other = owner.get(slugify(word));
      if (other !== undefined && other !== definition.key) {
        return `"categories": "${word}" names both "${other}" and "${definition.key}"`;
      }
      owner.set(slugify(word), definition.key);
    }
  }
  return merged;
}

const KEY_RULE = (issue: v.BaseIssue<unknown>) =>
  `"key" must be lower-case letters, digits and dashes, got ${JSON.stringify(issue.input)}`;
const LABELS_OBJECT = '"labels" must be an object of labels by language';
const ALIASES = '"aliases" must be a list of words';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One entry of `site.json`'s `categories`. */
const categoryDefinition = v.object(
  {
    key: v.pipe(
      v.string(KEY_RULE),
      v.check((key) => key !== '' && slugify(key) === key, KEY_RULE),
    ),
    labels: v.pipe(
      v.unknown(),
      v.check(isPlainObject, LABELS_OBJECT),
      v.record(v.string(), v.unknown()),
      v.check(
        (labels) =>
          Object.keys(labels).length > 0 &&
          Object.values(labels).every((label) => typeof label === 'string' && label.trim() !== ''),
        '"labels" must hold at least one non-empty label',
      ),
      v.transform((labels) => labels as Record<string, string>),
    ),
    aliases: v.optional(v.array(v.string(ALIASES), ALIASES)),
  },
  'must be an object',
);

/** `site.json`'s `categories`, as the field of an object so issues are named after it. */
const categoriesField = v.object({
  categories: v.array(categoryDefinition, 'must be a list of { key, labels, aliases }'),
});
