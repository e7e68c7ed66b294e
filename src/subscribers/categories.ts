import * as v from 'valibot';
import { SITE_INDEX_KEY } from '../pipeline/state-keys.js';
import { CorruptDocumentError, readDocument } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { categoryLabels } from '../site/categories.js';
import type { CategoryOption } from './http/pages.js';

/**
 * The categories residents can pick on the preferences page: those with public releases, read
 * from the publishing pipeline's site index (`state/site.json`, the same list index.html's form
 * offers). Empty before anything is published or when the index is unreadable.
 */
export async function readCategoryCatalog(store: ObjectStore): Promise<CategoryOption[]> {
  let index: v.InferOutput<typeof catalogSchema> | undefined;
  try {
    index = (await readDocument(store, SITE_INDEX_KEY, catalogSchema))?.value;
  } catch (error) {
    if (error instanceof CorruptDocumentError) return [];
    throw error;
  }
  return (index?.categories ?? []).flatMap((entry): CategoryOption[] =>
    v.is(categorySchema, entry)
      ? [{ slug: entry.slug, name: entry.name, names: categoryLabels(entry.slug) }]
      : [],
  );
}

/** The site index as far as the catalogue reads it; a malformed category is skipped, not fatal. */
const catalogSchema = v.looseObject({ categories: v.optional(v.array(v.unknown())) });

const categorySchema = v.looseObject({ slug: v.string(), name: v.string() });
