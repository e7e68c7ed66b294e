import type { SiteIndexDoc } from '../pipeline/site-index.js';
import { SITE_INDEX_KEY } from '../pipeline/state-keys.js';
import type { ObjectStore } from '../shared/ports.js';
import { categoryLabels } from '../site/categories.js';
import type { CategoryOption } from './http/pages.js';

/**
 * The categories residents can pick on the preferences page: those with public releases, read
 * from the publishing pipeline's site index (`state/site.json`, the same list index.html's form
 * offers). Empty before anything is published or when the index is unreadable.
 */
export async function readCategoryCatalog(store: ObjectStore): Promise<CategoryOption[]> {
  const object = await store.get(SITE_INDEX_KEY);
  if (object === undefined) return [];
  let index: Partial<SiteIndexDoc> | null;
  try {
    index = JSON.parse(Buffer.from(object.body).toString('utf8')) as Partial<SiteIndexDoc> | null;
  } catch {
    return [];
  }
  const list = index?.categories;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): CategoryOption[] => {
    const { slug, name } = (entry ?? {}) as unknown as Record<string, unknown>;
    return typeof slug === 'string' && typeof name === 'string'
      ? [{ slug, name, names: categoryLabels(slug) }]
      : [];
  });
}
