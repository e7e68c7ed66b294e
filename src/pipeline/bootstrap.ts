import type { Release } from '../release/types.js';
import { serialiseDocument } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import type { SiteConfig } from '../site/config.js';
import { resolveSlugCollisions } from '../site/slugs.js';
import { windowLimits } from './deps.js';
import { type EmbargoDoc, emptyEmbargo, isPublicAt, placeInEmbargo } from './embargo.js';
import { type MonthDoc, monthIn, monthKey, toArchiveRelease } from './months.js';
import { parseFingerprint, type ReleaseRecord } from './records.js';
import { emptySiteIndex, indexWith } from './site-index.js';
import type { SlugClaim } from './slugs.js';
import { EMBARGO_KEY, recordKey, SITE_INDEX_KEY, slugClaimKey } from './state-keys.js';
import { compareStoredNewestFirst, type StoredRelease, storeRelease } from './stored-release.js';
import { type ScopeRef, scopesOf, type WindowDoc, type WindowEntry, windowKey } from './windows.js';

/** A source object and the release parsed from it. */
export interface SourceRelease {
  key: string;
  sourceEtag: string;
  release: Release;
}

/**
 * The whole publishing state for a set of releases, as the incremental pipeline would hold it
 * after publishing them one by one (slug collisions resolved the way the site builder does, in
 * `sourcePath` order; every public release counted as announced). For bootstrapping state next
 * to an existing archive in one pass, and for the benchmark.
 */
export function deriveState(
  sources: readonly SourceRelease[],
  site: SiteConfig,
  now: Date,
  options: {
    /**
     * `firstPublishedAt` of the public releases: their `published` (default: an archive that has
     * long been public, so no digest mails it again) or the given instant.
     */
    publishedAt?: Date;
  } = {},
): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  const resolved = resolveSlugCollisions(
    sources.map((source) => source.release),
    site,
  );
  const parsedWith = parseFingerprint(site);
  const visible: WindowEntry[] = [];
  let embargo: EmbargoDoc = emptyEmbargo();
  sources.forEach((source, i) => {
    const resolvedRelease = resolved[i] as Release;
    const isPublic = resolvedRelease.published.getTime() <= now.getTime();
    const release: StoredRelease = storeRelease(
      resolvedRelease,
      isPublic ? (options.publishedAt ?? resolvedRelease.published).toISOString() : undefined,
    );
    const record: ReleaseRecord = {
      version: 1,
      key: source.key,
      sourceEtag: source.sourceEtag,
      parsedWith,
      release,
      slug: release.slug,
      ...(isPublicAt(release, now) ? { announced: true } : {}),
      lingering: [],
    };
    docs.set(recordKey(source.key), record);
    docs.set(slugClaimKey(release.slug), { key: source.key } satisfies SlugClaim);
    if (isPublicAt(release, now)) visible.push({ key: source.key, release });
    else embargo = placeInEmbargo(embargo, source.key, release, now);
  });
  visible.sort((a, b) => compareStoredNewestFirst(a.release, b.release));

  const months = new Map<string, MonthDoc>();
  const scopes = new Map<string, { scope: ScopeRef; entries: WindowEntry[] }>([
    [windowKey({ kind: 'all' }), { scope: { kind: 'all' }, entries: [] }],
  ]);
  for (const entry of visible) {
    const month = monthIn(entry.release.published, site.timeZone);
    const doc = months.get(month) ?? { version: 1, month, entries: [] };
    doc.entries.push({ key: entry.key, release: toArchiveRelease(entry.release) });
    months.set(month, doc);
    for (const scope of scopesOf(entry.release)) {
      const id = windowKey(scope);
      const group = scopes.get(id) ?? { scope, entries: [] };
      group.entries.push(entry);
      scopes.set(id, group);
    }
  }
  const { capacity } = windowLimits(site);
  const windows: WindowDoc[] = [];
  for (const [id, { scope, entries }] of scopes) {
    const window: WindowDoc = {
      version: 1,
      scope,
      exhaustive: entries.length <= capacity(scope),
      entries: entries.slice(0, capacity(scope)),
    };
    if (window.entries.length > 0) docs.set(id, window);
    windows.push(window);
  }
  for (const doc of months.values()) docs.set(monthKey(doc.month), doc);
  docs.set(SITE_INDEX_KEY, indexWith(emptySiteIndex(), windows, [...months.values()]));
  if (embargo.entries.length > 0) docs.set(EMBARGO_KEY, embargo);
  return docs;
}

/**
 * Writes a derived state (see {@link deriveState}) into an empty state area, `concurrency` writes
 * at a time. Not for a live pipeline: these writes are unconditional.
 */
export async function writeState(
  store: ObjectStore,
  docs: Map<string, unknown>,
  concurrency = 32,
): Promise<void> {
  const queue = [...docs];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        await store.put(next[0], serialiseDocument(next[1]), { contentType: 'application/json' });
      }
    }),
  );
}
