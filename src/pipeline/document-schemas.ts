import * as v from 'valibot';
import type { MediaReference } from '../media/types.js';
import { instantText } from '../shared/schemas.js';
import type { StoredRelease } from './stored-release.js';

/*
 * Shared parts of the schemas of the pipeline's state documents under `state/` (each document's
 * schema is defined beside its type). A release nested in a document (records, windows, months)
 * is checked field by field against the type the code reads it as, so a damaged or hand-edited
 * document is refused where it is read, not rendered into pages and feeds. Schemas only check:
 * the document store returns a document as stored, its key order intact. An unknown field fails
 * no schema (plain and loose objects both let it pass), so one written by a newer version stays.
 */

const mediaReferenceFields = {
  sourcePath: v.string(),
  publicPath: v.string(),
  url: v.string(),
  line: v.optional(v.number()),
  shownAsImage: v.optional(v.literal(true)),
  linked: v.optional(v.literal(true)),
  file: v.optional(
    v.object({
      kind: v.picklist(['image', 'document']),
      contentType: v.string(),
      length: v.number(),
      width: v.optional(v.number()),
      height: v.optional(v.number()),
    }),
  ),
};

const archivedReleaseFields = {
  id: v.string(),
  sourcePath: v.string(),
  slug: v.string(),
  title: v.string(),
  category: v.string(),
  categorySlug: v.string(),
  lang: v.string(),
  published: instantText,
  updated: v.optional(instantText),
  firstPublishedAt: v.optional(instantText),
  author: v.optional(v.string()),
  summary: v.optional(v.string()),
  summaryInBody: v.optional(v.literal(true)),
  kicker: v.optional(v.string()),
  tags: v.array(v.string()),
  image: v.optional(v.string()),
  imageAlt: v.optional(v.string()),
  media: v.optional(v.array(v.object(mediaReferenceFields))),
  url: v.string(),
  translationKey: v.optional(v.string()),
  translations: v.optional(
    v.pipe(
      v.array(v.object({ lang: v.string(), url: v.string(), title: v.string() })),
      v.readonly(),
    ),
  ),
};

const storedReleaseFields = { ...archivedReleaseFields, contentHtml: v.string() };

/** A release as the archive (`state/months/`) keeps it: every field but the body. */
const archivedReleaseShape = v.object(archivedReleaseFields);

/** A whole stored release (records, windows): every field of {@link StoredRelease}. */
export const storedReleaseShape = v.object(storedReleaseFields);

/** `{ key, release }` with a whole stored release (windows). */
export const releaseEntryShape = v.looseObject({ key: v.string(), release: storedReleaseShape });

/** `{ key, release }` with an archived release (months). */
export const archivedEntryShape = v.looseObject({
  key: v.string(),
  release: archivedReleaseShape,
});

/*
 * The schemas above must describe exactly the types the pipeline reads releases as: a field
 * added to Release (or MediaReference) without its schema, or with another type, fails to
 * compile here.
 */
type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A, B> = Assignable<A, B> extends true ? Assignable<keyof A, keyof B> : false;
type Fields<E extends v.ObjectEntries> = v.InferOutput<v.ObjectSchema<E, undefined>>;
const schemasMatchTypes: [
  Same<Fields<typeof storedReleaseFields>, StoredRelease>,
  Same<Fields<typeof archivedReleaseFields>, Omit<StoredRelease, 'contentHtml'>>,
  Same<Fields<typeof mediaReferenceFields>, MediaReference>,
] = [true, true, true];
void schemasMatchTypes;

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
