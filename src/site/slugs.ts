import type { Release } from '../release/types.js';
import { shortHash } from '../shared/text.js';
import type { SiteConfig } from './config.js';
import { compareCodeUnits } from './order.js';

/** Path of a release page relative to the site root. */
export function releasePagePath(slug: string): string {
  return `releases/${slug}.html`;
}

/**
 * Gives every release its own page name. Releases are considered in `sourcePath` order; the
 * first to claim a slug keeps it, each later one gets `-<shortHash(sourcePath)>` appended (a longer
 * hash in the unlikely case that is taken too) and its `url` rewritten to match. The result does
 * not depend on the input order; it is returned in the input order, unchanged releases as the same
 * objects.
 *
 * Run it over every known release, embargoed ones included, so that a page's URL does not change
 * when an embargoed release with the same slug goes public.
 */
export function resolveSlugCollisions<T extends Pick<Release, 'slug' | 'sourcePath' | 'url'>>(
  releases: readonly T[],
  site: SiteConfig,
): T[] {
  const byPath = [...releases.keys()].sort((a, b) =>
    compareCodeUnits((releases[a] as T).sourcePath, (releases[b] as T).sourcePath),
  );
  const natural = new Set(releases.map((release) => release.slug));
  const taken = new Set<string>();
  const result = [...releases];
  for (const index of byPath) {
    const release = releases[index] as T;
    if (!taken.has(release.slug)) {
      taken.add(release.slug);
      continue;
    }
    const slug = freeSlug(release, (candidate) => taken.has(candidate) || natural.has(candidate));
    taken.add(slug);
    result[index] = { ...release, slug, url: `${site.siteUrl}/${releasePagePath(slug)}` };
  }
  return result;
}

/** `<slug>-<hash>` with the shortest hash (6, 8, … 64 hex digits) nobody has claimed. */
function freeSlug(
  release: Pick<Release, 'slug' | 'sourcePath'>,
  isTaken: (slug: string) => boolean,
): string {
  for (let length = 6; length <= 64; length += 2) {
    const candidate = `${release.slug}-${shortHash(release.sourcePath, length)}`;
    if (!isTaken(candidate)) return candidate;
  }
  // Only reachable when the same sourcePath appears more than once.
  for (let n = 2; ; n += 1) {
    const candidate = `${release.slug}-${shortHash(release.sourcePath, 64)}-${n}`;
    if (!isTaken(candidate)) return candidate;
  }
}
