import * as v from 'valibot';
import type { Release } from '../release/types.js';
import { documentOf, readDocument, serialiseDocument } from '../shared/document-store.js';
import { type ObjectStore, PreconditionFailedError } from '../shared/ports.js';
import { shortHash } from '../shared/text.js';
import { releasePagePath } from '../site/slugs.js';
import { slugClaimKey } from './state-keys.js';

/** Who owns a slug. */
export interface SlugClaim {
  key: string;
}

/** Every candidate slug was owned by some other key (practically impossible; see the hash sizes). */
class SlugExhaustedError extends Error {
  override readonly name = 'SlugExhaustedError';
}

/**
 * Claims a slug for the object at `key`: `wanted` if free (or already this key's), else
 * `wanted-<shortHash(sourcePath)>` as the site builder suffixes collisions, then longer hashes
 * (8, 10, … 64 digits).
 * First come keeps the bare slug, so no published URL ever changes. The claim is created with
 * `If-None-Match: *`; it is read first too, since s3rver ignores that condition.
 */
export async function claimSlug(
  store: ObjectStore,
  key: string,
  sourcePath: string,
  wanted: string,
): Promise<string> {
  // The same suffixes, in the same order, as the site builder's collision rule.
  const lengths = Array.from({ length: 30 }, (_, i) => 6 + 2 * i);
  const candidates = [wanted, ...lengths.map((n) => `${wanted}-${shortHash(sourcePath, n)}`)];
  for (const slug of candidates) {
    const claimKey = slugClaimKey(slug);
    const existing = await readDocument(store, claimKey, slugClaimSchema);
    if (existing !== undefined) {
      if (existing.value.key === key) return slug;
      continue;
    }
    try {
      await store.put(claimKey, serialiseDocument({ key } satisfies SlugClaim), {
        contentType: 'application/json',
        ifNoneMatch: '*',
      });
      return slug;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      const winner = await readDocument(store, claimKey, slugClaimSchema);
      if (winner?.value.key === key) return slug;
    }
  }
  throw new SlugExhaustedError(`No free slug for ${key} (wanted "${wanted}")`);
}

/** Gives up `slug` if `key` owns it, so another file may take it later. */
export async function releaseSlug(store: ObjectStore, key: string, slug: string): Promise<void> {
  const claimKey = slugClaimKey(slug);
  const existing = await readDocument(store, claimKey, slugClaimSchema);
  if (existing?.value.key === key) await store.delete(claimKey);
}

/**
 * The release under its claimed slug: the page URL follows the slug, and so do links inside the
 * body that the parser resolved against the page's own address (`#section`).
 */
export function withSlug(release: Release, slug: string, siteUrl: string): Release {
  if (release.slug === slug) return release;
  const url = `${siteUrl}/${releasePagePath(slug)}`;
  return {
    ...release,
    slug,
    url,
    contentHtml: release.contentHtml.replaceAll(`"${release.url}#`, `"${url}#`),
  };
}

/** A slug claim: who owns a slug. */
export const slugClaimSchema = documentOf<SlugClaim>(v.looseObject({ key: v.string() }));
