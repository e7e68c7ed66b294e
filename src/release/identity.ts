import { nameBasedUrn, shortHash, slugify } from '../shared/text.js';

/** Who a release is: derived from its path (and an optional front-matter slug), never its text. */
export interface ReleaseIdentity {
  sourcePath: string;
  id: string;
  slug: string;
  url: string;
}

/**
 * The identity of the release stored at `path` (relative to the releases root). `id` depends only
 * on `idAuthority` (default: the site's host) and the path, so it survives every edit, and a move
 * to a new address when the old host is kept as `idAuthority`; `slug` is the front-matter slug or
 * the path (folders joined with `-`), both slugified, else `release-<hash of the path>`.
 */
export function releaseIdentity(
  path: string,
  frontMatterSlug: string | undefined,
  siteUrl: string,
  idAuthority?: string,
): ReleaseIdentity {
  const sourcePath = normalizeSourcePath(path);
  const site = siteUrl.replace(/\/+$/, '');
  const id = nameBasedUrn(`${idAuthority ?? hostOf(site)}:${sourcePath}`);
  const slug =
    slugify(frontMatterSlug ?? '') ||
    asSlug(sourcePath.replace(/\.md$/i, '').replaceAll('/', '-')) ||
    `release-${shortHash(sourcePath)}`;
  return { sourcePath, id, slug, url: `${site}/releases/${slug}.html` };
}

/**
 * Lower-case ASCII words joined by single dashes, at most 80 characters: what `slugify` gives back
 * unchanged. Most paths (`2025/kirjasto-avataan`) are already one.
 */
const SLUG = /^(?=.{1,80}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * `slugify(text)`, without its Unicode normalization and five replacements when `text` is a slug.
 * For a string of the release's own making (a slice of the file would keep the file in memory).
 */
function asSlug(text: string): string {
  return SLUG.test(text) ? text : slugify(text);
}

// A build parses thousands of releases for one site: parse its URL once.
let lastSite: { url: string; host: string } | undefined;

function hostOf(site: string): string {
  if (lastSite?.url !== site) lastSite = { url: site, host: new URL(site).host };
  return lastSite.host;
}

/** A release path as identities use it: Unicode NFC, `/` as the only separator. */
export function normalizeSourcePath(path: string): string {
  return path.normalize('NFC').replaceAll('\\', '/');
}

/** What an id authority looks like: a host name, optionally with a port (`tiedotteet.example.fi`). */
const ID_AUTHORITY = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?$/;

/** Whether `value` can be an id authority: a lower-case host name as `new URL(…).host` gives it. */
export function isIdAuthority(value: string): boolean {
  return ID_AUTHORITY.test(value);
}
