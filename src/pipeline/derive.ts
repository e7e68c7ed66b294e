import { inScope } from '../feeds/scopes.js';
import type { ObjectStore } from '../shared/ports.js';
import { type EmbargoDoc, emptyEmbargo, isPublicAt, placeInEmbargo } from './embargo.js';
import { type Placement, placementOf, type ReleaseRecord, uniquePlacements } from './records.js';
import { emptySiteIndex, indexWith, type SiteIndexDoc } from './site-index.js';
import { EMBARGO_KEY, recordKey, SITE_INDEX_KEY } from './state-keys.js';
import {
  currentEtag,
  readDocument,
  UNCHANGED,
  type UpdateOptions,
  updateDocument,
} from './state-store.js';
import { compareStoredNewestFirst, type StoredRelease } from './stored-release.js';
import {
  emptyWindow,
  needsRepair,
  placeInWindow,
  refillWindow,
  type ScopeRef,
  scopesOf,
  type WindowDoc,
  type WindowEntry,
  windowKey,
} from './windows.js';
import { emptyYear, placeInYear, type YearDoc, yearIn, yearKey } from './years.js';

/** What the derived-state step needs. */
export interface DeriveContext {
  state: ObjectStore;
  timeZone: string;
  /** How many releases a scope's outputs show (a window refills below this). */
  shown: (scope: ScopeRef) => number;
  /** How many releases a scope's window keeps. */
  capacity: (scope: ScopeRef) => number;
  now: Date;
  update?: UpdateOptions;
}

/** A document as it stands after the step, with the ETag it was read or written with. */
export interface Current<T> {
  key: string;
  value: T;
  etag: string | undefined;
  /** Set when the document was refilled from the archive. */
  refilled?: boolean;
}

/** The documents one release touched, as they now stand: the input of rendering. */
export interface DerivedState {
  years: Current<YearDoc>[];
  windows: Current<WindowDoc>[];
  siteIndex: Current<SiteIndexDoc>;
  embargo: Current<EmbargoDoc>;
  /** The release as public now, if it is. */
  publicRelease?: StoredRelease;
  /** State keys of windows this step refilled from the archive. */
  refilled: string[];
}

/** Inputs a derived write was computed from changed before the write landed: compute again. */
const MAX_REVALIDATIONS = 8;

/** Keys of the scopes a set of placements touches: all, each category, each language. */
export function scopesOfPlacements(placements: readonly Placement[]): ScopeRef[] {
  const scopes = new Map<string, ScopeRef>([[windowKey({ kind: 'all' }), { kind: 'all' }]]);
  for (const placement of placements) {
    for (const scope of scopesOf(placement)) scopes.set(windowKey(scope), scope);
  }
  return [...scopes.values()];
}

/**
 * Makes the year documents, feed windows, embargo list and site index agree with `record` (the
 * release at `key`, or nothing when `record` is undefined). Each document is rewritten with a
 * conditional write; every write that copied data from other objects is re-validated afterwards
 * (see docs/pipeline.md), so concurrent invocations converge on the bucket's state.
 *
 * @param extra placements to clean beyond the record's own (reconcile passes where it found strays).
 */
export async function deriveFromRecord(
  ctx: DeriveContext,
  key: string,
  record: ReleaseRecord | undefined,
  extra: readonly Placement[] = [],
): Promise<DerivedState> {
  const release = record?.release;
  const publicRelease = release && isPublicAt(release, ctx.now) ? release : undefined;
  const placements = uniquePlacements([
    ...(release ? [placementOf(release, ctx.timeZone)] : []),
    ...(record?.lingering ?? []),
    ...extra,
  ]);

  const years = await Promise.all(
    [...new Set(placements.map((placement) => placement.year))].map(async (year) => {
      const docKey = yearKey(year);
      const result = await updateDocument<YearDoc>(
        ctx.state,
        docKey,
        (current) => {
          const next = placeInYear(current ?? emptyYear(year), key, publicRelease, ctx.timeZone);
          if (current === undefined && next.entries.length === 0) return UNCHANGED;
          return sameJson(next, current) ? UNCHANGED : next;
        },
        ctx.update,
      );
      return { key: docKey, value: result.value ?? emptyYear(year), etag: result.etag };
    }),
  );
  // Years reach the index before any window changes, so a concurrent refill either sees a new
  // year in the index or sees the index change under it (see refill below).
  await updateSiteIndex(ctx, [], years);

  const [embargo, ...windows] = await Promise.all([
    updateEmbargo(ctx, key, release),
    ...scopesOfPlacements(placements).map((scope) => updateWindow(ctx, scope, key, publicRelease)),
  ]);
  const siteIndex = await updateSiteIndex(ctx, windows, years);
  return {
    years,
    windows,
    siteIndex,
    embargo,
    publicRelease,
    refilled: windows.filter((window) => window.refilled).map((window) => window.key),
  };
}

async function updateEmbargo(
  ctx: DeriveContext,
  key: string,
  release: StoredRelease | undefined,
): Promise<Current<EmbargoDoc>> {
  const result = await updateDocument<EmbargoDoc>(
    ctx.state,
    EMBARGO_KEY,
    (current) => {
      const next = placeInEmbargo(current ?? emptyEmbargo(), key, release, ctx.now);
      if (current === undefined && next.entries.length === 0) return UNCHANGED;
      return sameJson(next, current) ? UNCHANGED : next;
    },
    ctx.update,
  );
  return { key: EMBARGO_KEY, value: result.value ?? emptyEmbargo(), etag: result.etag };
}

/**
 * Places the release in one scope's window and refills the window from the archive when deletions
 * left it shorter than a feed. A refill copies releases from records and year documents, so after
 * writing it re-reads every input and starts over if any changed meanwhile.
 */
async function updateWindow(
  ctx: DeriveContext,
  scope: ScopeRef,
  key: string,
  release: StoredRelease | undefined,
): Promise<Current<WindowDoc>> {
  return recomputeWindow(ctx, scope, (current) =>
    placeInWindow(current ?? emptyWindow(scope), key, release, ctx.capacity(scope)),
  );
}

/**
 * Rebuilds a scope's window from the archive (year documents and records), whatever it holds now:
 * reconcile's repair for a window found wrong. Safe against concurrent syncs like any refill.
 */
export function rebuildWindow(ctx: DeriveContext, scope: ScopeRef): Promise<Current<WindowDoc>> {
  return recomputeWindow(ctx, scope, () => ({ ...emptyWindow(scope), exhaustive: false }));
}

async function recomputeWindow(
  ctx: DeriveContext,
  scope: ScopeRef,
  start: (current: WindowDoc | undefined) => WindowDoc,
): Promise<Current<WindowDoc>> {
  const docKey = windowKey(scope);
  let from = start;
  for (let round = 1; ; round += 1) {
    let inputs: InputVersions = new Map();
    const result = await updateDocument<WindowDoc>(
      ctx.state,
      docKey,
      async (current) => {
        inputs = new Map();
        let next = from(current);
        if (needsRepair(next, ctx.shown(scope))) next = await refill(ctx, next, inputs);
        if (current === undefined && next.entries.length === 0) return UNCHANGED;
        return sameJson(next, current) ? UNCHANGED : next;
      },
      ctx.update,
    );
    const value = result.value ?? emptyWindow(scope);
    if (!result.written || inputs.size === 0 || (await unchanged(ctx.state, inputs))) {
      return { key: docKey, value, etag: result.etag, refilled: result.written && inputs.size > 0 };
    }
    if (round >= MAX_REVALIDATIONS) {
      throw new RevalidationError(docKey);
    }
    // What we just wrote was refilled from inputs that changed meanwhile, and others may already
    // have built on it: start over from the archive rather than from our own write.
    from = () => ({ ...emptyWindow(scope), exhaustive: false });
  }
}

/** ETags (`undefined`: absent) of the objects a computation read. */
type InputVersions = Map<string, string | undefined>;

/**
 * Fills the window with the scope's releases that sort after its last entry, newest first,
 * reading year documents from the tail's year downwards (years as listed in the site index) and
 * each candidate's record for its full text. Records are the authority: a candidate whose record
 * disagrees with the year document is placed by its record, and releases from years not yet read
 * are never allowed to jump ahead of unread ones.
 */
async function refill(
  ctx: DeriveContext,
  window: WindowDoc,
  inputs: InputVersions,
): Promise<WindowDoc> {
  const index = await readDocument<SiteIndexDoc>(ctx.state, SITE_INDEX_KEY);
  inputs.set(SITE_INDEX_KEY, index?.etag);
  const tail = window.entries.at(-1)?.release;
  const tailYear = tail ? yearIn(tail.published, ctx.timeZone) : Number.POSITIVE_INFINITY;
  const years = (index?.value.years ?? []).filter((year) => year <= tailYear);
  const capacity = ctx.capacity(window.scope);
  const need = capacity - window.entries.length;
  const have = new Set(window.entries.map((entry) => entry.key));

  const found: WindowEntry[] = [];
  let scannedDownTo = Number.POSITIVE_INFINITY;
  for (const year of years) {
    const doc = await readDocument<YearDoc>(ctx.state, yearKey(year));
    inputs.set(yearKey(year), doc?.etag);
    scannedDownTo = year;
    const candidates = (doc?.value.entries ?? []).filter(
      (entry) =>
        !have.has(entry.key) &&
        inScope(window.scope, entry.release) &&
        (tail === undefined || compareStoredNewestFirst(entry.release, tail) > 0),
    );
    // Candidates come newest first; read records in batches of what is still missing.
    while (candidates.length > 0 && found.length < need) {
      const batch = candidates.splice(0, need - found.length);
      const records = await Promise.all(
        batch.map((entry) => readDocument<ReleaseRecord>(ctx.state, recordKey(entry.key))),
      );
      batch.forEach((entry, i) => {
        const stored = records[i];
        inputs.set(recordKey(entry.key), stored?.etag);
        const current = stored?.value.release;
        if (!current || !isPublicAt(current, ctx.now) || !inScope(window.scope, current)) return;
        if (tail && compareStoredNewestFirst(current, tail) <= 0) return;
        have.add(entry.key);
        found.push({ key: entry.key, release: current });
      });
    }
    if (found.length >= need) break;
  }
  const complete = scannedDownTo === (years.at(-1) ?? Number.POSITIVE_INFINITY);
  // A record may place a release in a year not read yet; only releases from read years count.
  const safe = found
    .filter((entry) => complete || yearIn(entry.release.published, ctx.timeZone) >= scannedDownTo)
    .sort((a, b) => compareStoredNewestFirst(a.release, b.release));
  return refillWindow(window, safe, complete, capacity);
}

/**
 * Brings the site index up to date with windows and years just written (or, `fromScratch`, makes
 * it exactly what they say), re-validating them after a write: another invocation may have changed
 * one in between and found the index already right.
 */
export async function updateSiteIndex(
  ctx: DeriveContext,
  windows: readonly Current<WindowDoc>[],
  years: readonly Current<YearDoc>[],
  fromScratch = false,
): Promise<Current<SiteIndexDoc>> {
  let latestWindows = windows;
  let latestYears = years;
  for (let round = 1; ; round += 1) {
    const result = await updateDocument<SiteIndexDoc>(
      ctx.state,
      SITE_INDEX_KEY,
      (current) => {
        const next = indexWith(
          fromScratch ? emptySiteIndex() : (current ?? emptySiteIndex()),
          latestWindows.map((window) => window.value),
          latestYears.map((year) => year.value),
        );
        return sameJson(next, current) ? UNCHANGED : next;
      },
      ctx.update,
    );
    const value = result.value ?? emptySiteIndex();
    if (!result.written) return { key: SITE_INDEX_KEY, value, etag: result.etag };
    const [freshWindows, freshYears] = await Promise.all([
      reread<WindowDoc>(ctx.state, latestWindows),
      reread<YearDoc>(ctx.state, latestYears),
    ]);
    const moved = [...freshWindows, ...freshYears].some((doc, i) => {
      const before = [...latestWindows, ...latestYears][i];
      return doc.etag !== before?.etag;
    });
    if (!moved) return { key: SITE_INDEX_KEY, value, etag: result.etag };
    if (round >= MAX_REVALIDATIONS) throw new RevalidationError(SITE_INDEX_KEY);
    latestWindows = freshWindows.map((doc, i) => ({
      ...doc,
      value: doc.value ?? emptyWindow((latestWindows[i] as Current<WindowDoc>).value.scope),
    }));
    latestYears = freshYears.map((doc, i) => ({
      ...doc,
      value: doc.value ?? emptyYear((latestYears[i] as Current<YearDoc>).value.year),
    }));
  }
}

async function reread<T>(
  store: ObjectStore,
  docs: readonly Current<T>[],
): Promise<{ key: string; value: T | undefined; etag: string | undefined }[]> {
  return Promise.all(
    docs.map(async (doc) => {
      const fresh = await readDocument<T>(store, doc.key);
      return { key: doc.key, value: fresh?.value, etag: fresh?.etag };
    }),
  );
}

async function unchanged(store: ObjectStore, inputs: InputVersions): Promise<boolean> {
  const checks = await Promise.all(
    [...inputs].map(async ([key, etag]) => (await currentEtag(store, key)) === etag),
  );
  return checks.every(Boolean);
}

/** The inputs of a derived document kept changing; the event is retried later. */
export class RevalidationError extends Error {
  override readonly name = 'RevalidationError';
  constructor(readonly key: string) {
    super(`Inputs of ${key} kept changing while it was being written`);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
