import type { ObjectStore } from '../shared/ports.js';
import type { CategoryOption } from './http/pages.js';
import { SUBSCRIBERS_PREFIX } from './store.js';

/** Where the list of categories offered on the preferences page is kept (written by the site build). */
export const CATEGORY_CATALOG_KEY = `${SUBSCRIBERS_PREFIX}categories.json`;

/**
 * The categories residents can pick, from `subscribers/categories.json`
 * (`{"categories":[{"slug":"tiedote","name":"Tiedote","names":{"sv":"Pressmeddelande"}}]}`);
 * empty when the file does not exist yet. Malformed entries are skipped.
 */
export async function readCategoryCatalog(store: ObjectStore): Promise<CategoryOption[]> {
  const object = await store.get(CATEGORY_CATALOG_KEY);
  if (object === undefined) return [];
  const parsed: unknown = JSON.parse(Buffer.from(object.body).toString('utf8'));
  const list = (parsed as { categories?: unknown } | null)?.categories;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): CategoryOption[] => {
    const { slug, name, names } = (entry ?? {}) as Record<string, unknown>;
    if (typeof slug !== 'string' || typeof name !== 'string') return [];
    const localized =
      typeof names === 'object' && names !== null
        ? Object.fromEntries(Object.entries(names).filter(([, v]) => typeof v === 'string'))
        : {};
    return [{ slug, name, names: localized }];
  });
}
