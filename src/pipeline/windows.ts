import * as v from 'valibot';
import { inScope, type ScopeRef } from '../feeds/scopes.js';
import { documentOf } from '../shared/document-store.js';
import { releaseEntryShape, scopeRefShape } from './document-schemas.js';
import { WINDOWS_PREFIX } from './state-keys.js';
import { compareStoredNewestFirst, type StoredRelease } from './stored-release.js';

/** A feed scope as the state names it (display names come from the releases themselves). */
export type { ScopeRef } from '../feeds/scopes.js';

/** A release in a window, with the object key its record is kept under. */
export interface WindowEntry {
  key: string;
  release: StoredRelease;
}

/**
 * The newest releases of one feed scope: always a prefix of the scope's releases in site order
 * (newest first), at most `capacity` long. `exhaustive` says the prefix is the whole scope: only
 * then may a release that sorts after the last entry be appended.
 */
export interface WindowDoc {
  version: 1;
  scope: ScopeRef;
  exhaustive: boolean;
  entries: WindowEntry[];
}

/** State key of a scope's window. */
export function windowKey(scope: ScopeRef): string {
  switch (scope.kind) {
    case 'all':
      return `${WINDOWS_PREFIX}all.json`;
    case 'category':
      return `${WINDOWS_PREFIX}category/${scope.categorySlug}.json`;
    case 'lang':
      return `${WINDOWS_PREFIX}lang/${scope.lang}.json`;
  }
}

/** The scopes a release belongs to: all, its category, its language. */
export function scopesOf(release: Pick<StoredRelease, 'categorySlug' | 'lang'>): ScopeRef[] {
  return [
    { kind: 'all' },
    { kind: 'category', categorySlug: release.categorySlug },
    { kind: 'lang', lang: release.lang },
  ];
}

/** A window of a scope nobody has published to yet: empty and (trivially) complete. */
export function emptyWindow(scope: ScopeRef): WindowDoc {
  return { version: 1, scope, exhaustive: true, entries: [] };
}

/** Releases a window keeps beyond the feed limit, so a few deletions need no repair. */
export function windowCapacity(feedLimit: number): number {
  return feedLimit + Math.max(5, Math.ceil(feedLimit / 5));
}

/**
 * The window after the release at `key` became `release` (`undefined`: it is gone or not public).
 * Keeps the prefix property: an entry that sorts after the last one is only appended when the
 * window is exhaustive; whatever exceeds `capacity` is cut, and the window stops being exhaustive.
 */
export function placeInWindow(
  window: WindowDoc,
  key: string,
  release: StoredRelease | undefined,
  capacity: number,
): WindowDoc {
  const entries = window.entries.filter((entry) => entry.key !== key);
  let exhaustive = window.exhaustive;
  if (release !== undefined && inScope(window.scope, release)) {
    const tail = entries.at(-1);
    if (exhaustive || (tail !== undefined && compareStoredNewestFirst(release, tail.release) < 0)) {
      const at = entries.findIndex((entry) => compareStoredNewestFirst(release, entry.release) < 0);
      entries.splice(at === -1 ? entries.length : at, 0, { key, release });
    }
  }
  if (entries.length > capacity) {
    entries.length = capacity;
    exhaustive = false;
  }
  return { ...window, exhaustive, entries };
}

/** Whether a window holds fewer releases than a feed shows while more may exist. */
export function needsRepair(window: WindowDoc, feedLimit: number): boolean {
  return !window.exhaustive && window.entries.length < feedLimit;
}

/**
 * Refills a window from `following`: releases of the scope that sort after its last entry, newest
 * first, as read from the archive. `complete` says `following` holds every such release.
 */
export function refillWindow(
  window: WindowDoc,
  following: readonly WindowEntry[],
  complete: boolean,
  capacity: number,
): WindowDoc {
  const room = capacity - window.entries.length;
  const added = following.slice(0, Math.max(0, room));
  return {
    ...window,
    entries: [...window.entries, ...added],
    exhaustive: complete && added.length === following.length,
  };
}

/** Whether the scope has no public release at all. */
export function isEmptyScope(window: WindowDoc): boolean {
  return window.exhaustive && window.entries.length === 0;
}

/** `state/windows/…`: the newest releases of one feed scope. */
export const windowDocSchema = documentOf<WindowDoc>(
  v.looseObject({
    version: v.literal(1),
    scope: scopeRefShape,
    exhaustive: v.boolean(),
    entries: v.array(releaseEntryShape),
  }),
);
