import * as v from 'valibot';

/*
 * Shared parts of the schemas of the pipeline's state documents under `state/` (each is defined
 * beside its type). Each checks the fields the pipeline
 * reads to find, order and place releases; a stored release inside a document is checked for its
 * identity, ordering and scope fields (its other fields are this code's own output, passed through
 * to pages and feeds). Objects are loose so a document round-trips unchanged.
 */

export const storedReleaseShape = v.looseObject({
  id: v.string(),
  sourcePath: v.string(),
  slug: v.string(),
  title: v.string(),
  categorySlug: v.string(),
  lang: v.string(),
  published: v.string(),
  updated: v.optional(v.string()),
  firstPublishedAt: v.optional(v.string()),
});

export const releaseEntryShape = v.looseObject({ key: v.string(), release: storedReleaseShape });

export const scopeRefShape = v.variant('kind', [
  v.looseObject({ kind: v.literal('all') }),
  v.looseObject({ kind: v.literal('category'), categorySlug: v.string() }),
  v.looseObject({ kind: v.literal('lang'), lang: v.string() }),
]);

export const placementShape = v.looseObject({
  month: v.optional(v.string()),
  categorySlug: v.string(),
  lang: v.string(),
  translationKey: v.optional(v.string()),
});

export const withdrawalFields = {
  slug: v.string(),
  title: v.string(),
  lang: v.string(),
  url: v.string(),
  published: v.string(),
  withdrawnAt: v.string(),
};
