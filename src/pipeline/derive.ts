import { inScope } from '../feeds/scopes.js';
import type { BatchDocuments } from '../shared/document-store.js';
import { embargoDocSchema, emptyEmbargo, isPublicAt, placeInEmbargo } from './embargo.js';
import {
  emptyMonth,
  type MonthDoc,
  type MonthEntry,
  monthDocSchema,
  monthIn,
  monthKey,
  placeInMonth,
} from './months.js';
import {
  type Placement,
  placementOf,
  type ReleaseRecord,
  releaseRecordSchema,
  uniquePlacements,
} from './records.js';
import { emptySiteIndex, indexWith, type SiteIndexDoc, siteIndexDocSchema } from './site-index.js';
import { EMBARGO_KEY, recordKey, SITE_INDEX_KEY } from './state-keys.js';
import { compareStoredNewestFirst, type StoredRelease } from './stored-release.js';
import {
  linkedRelease,
  partnersOf,
  updateTranslationGroups,
  withTranslations,
} from './translations.js';
import {
  emptyWindow,
  needsRepair,
  placeInWindow,
  refillWindow,
  type ScopeRef,
  scopesOf,
  type WindowDoc,
  type WindowEntry,
  windowDocSchema,
  windowKey,
} from './windows.js';

/** What the derived-state step needs. */
export interface DeriveContext {
  timeZone: string;
  /** How many releases a scope's outputs show (a window refills below this). */
  shown: (scope: ScopeRef) => number;
  /** How many releases a scope's window keeps. */
  capacity: (scope: ScopeRef) => number;
  now: Date;
}

/** One key of the batch as its record now stands, and where it may still be found. */
export interface KeyState {
  key: string;
  record: ReleaseRecord | undefined;
  /** Placements to clean beyond the record's own (reconcile passes where it found strays). */
  extra?: readonly Placement[];
}

/** The derived documents a batch touched, as they now stand: the input of rendering. */
export interface DerivedState {
  months: MonthDoc[];
  windows: WindowDoc[];
  siteIndex: SiteIndexDoc;
  /** State keys of windows refilled from the archive. */
  refilled: string[];
  /**
   * The batch's keys and the other language versions of those translated, each with its public
   * release linked to its translations: the release pages to render.
   */
  releases: LinkedKey[];
}

/** A key whose page a batch renders: its record and its public release, translations linked. */
interface LinkedKey {
  key: string;
  record: ReleaseRecord | undefined;
  publicRelease: StoredRelease | undefined;
}

/** The key's release if it is public at `now`. */
export function publicReleaseOf(record: ReleaseRecord | undefined, now: Date) {
  const release = record?.release;
  return release && isPublicAt(release, now) ? release : undefined;
}

/** Keys of the scopes a set of placements touches: all, each category, each language. */
function scopesOfPlacements(placements: readonly Placement[]): ScopeRef[] {
  const scopes = new Map<string, ScopeRef>([[windowKey({ kind: 'all' }), { kind: 'all' }]]);
  for (const placement of placements) {
    for (const scope of scopesOf(placement)) scopes.set(windowKey(scope), scope);
  }
  return [...scopes.values()];
}

function placementsOf(state: KeyState, timeZone: string): Placement[] {
  const release = state.record?.release;
  return uniquePlacements([
    ...(release ? [placementOf(release, timeZone)] : []),
    ...(state.record?.lingering ?? []),
    ...(state.extra ?? []),
  ]);
}

/**
 * Makes the month documents, embargo list, feed windows and site index agree with the records of
 * every key in the batch, in the batch's documents: each document is read once, changed by every
 * key that touches it, and refilled from the archive at most once.
 */
export async function deriveBatch(
  ctx: DeriveContext,
  docs: BatchDocuments,
  states: readonly KeyState[],
): Promise<DerivedState> {
  const touched = await linkedStates(ctx, docs, states);
  const monthNames = new Set(touched.flatMap((t) => t.placements.flatMap((p) => p.month ?? [])));
  const months = await Promise.all(
    [...monthNames].map(async (month) => {
      let doc = (await docs.get(monthKey(month), monthDocSchema)) ?? emptyMonth(month);
      for (const t of touched) {
        if (t.placements.some((p) => p.month === month)) {
          doc = placeInMonth(doc, t.key, t.publicRelease, ctx.timeZone);
        }
      }
      docs.set(monthKey(month), doc);
      return doc;
    }),
  );
  let embargo = (await docs.get(EMBARGO_KEY, embargoDocSchema)) ?? emptyEmbargo();
  for (const t of touched) embargo = placeInEmbargo(embargo, t.key, t.record?.release, ctx.now);
  docs.set(EMBARGO_KEY, embargo);
  // Months reach the index before windows refill: a refill walks the months the index lists.
  const indexed = indexWith(
    (await docs.get(SITE_INDEX_KEY, siteIndexDocSchema)) ?? emptySiteIndex(),
    [],
    months,
  );
  docs.set(SITE_INDEX_KEY, indexed);

  const scopes = scopesOfPlacements(touched.flatMap((t) => t.placements));
  const refilled: string[] = [];
  const windows = await Promise.all(
    scopes.map(async (scope) => {
      let window = (await docs.get(windowKey(scope), windowDocSchema)) ?? emptyWindow(scope);
      for (const t of touched) {
        window = placeInWindow(window, t.key, t.publicRelease, ctx.capacity(scope));
      }
      if (needsRepair(window, ctx.shown(scope))) {
        window = await refill(ctx, docs, window);
        refilled.push(windowKey(scope));
      }
      docs.set(windowKey(scope), window);
      return window;
    }),
  );
  const siteIndex = indexWith(indexed, windows, months);
  docs.set(SITE_INDEX_KEY, siteIndex);
  const releases = touched.map(({ key, record, publicRelease }) => ({
    key,
    record,
    publicRelease,
  }));
  return { months, windows, siteIndex, refilled: refilled.sort(), releases };
}

/**
 * The batch's keys with their public releases linked to their translations, followed by the
 * other versions of their translation groups (whose links change with them), after bringing the
 * groups up to date.
 */
async function linkedStates(ctx: DeriveContext, docs: BatchDocuments, states: readonly KeyState[]) {
  const withPlacements = (state: KeyState) => ({
    key: state.key,
    record: state.record,
    publicRelease: publicReleaseOf(state.record, ctx.now),
    placements: placementsOf(state, ctx.timeZone),
  });
  const own = states.map(withPlacements);
  const groups = await updateTranslationGroups(docs, own);
  const partners = await partnersOf(docs, groups, new Set(own.map((t) => t.key)));
  return [...own, ...partners.map(withPlacements)].map((t) => ({
    ...t,
    publicRelease: t.publicRelease && linkedRelease(t.publicRelease, groups),
  }));
}

/**
 * Fills the window with the scope's releases that sort after its last entry, newest first,
 * reading month documents from the tail's month downwards (months as the site index lists them)
 * and each candidate's record for its full text, until the window is full or the archive ends.
 */
async function refill(
  ctx: DeriveContext,
  docs: BatchDocuments,
  window: WindowDoc,
): Promise<WindowDoc> {
  const index = (await docs.get(SITE_INDEX_KEY, siteIndexDocSchema)) ?? emptySiteIndex();
  const tail = window.entries.at(-1)?.release;
  const tailMonth = tail ? monthIn(tail.published, ctx.timeZone) : undefined;
  const months = (index.months ?? []).filter((month) => !tailMonth || month <= tailMonth);
  const need = ctx.capacity(window.scope) - window.entries.length;
  const have = new Set(window.entries.map((entry) => entry.key));
  const found: WindowEntry[] = [];
  let complete = true;
  for (const month of months) {
    const room = need - found.length;
    if (room <= 0) {
      complete = false;
      break;
    }
    const entries = (await docs.get(monthKey(month), monthDocSchema))?.entries ?? [];
    const candidates = entries.filter(
      (entry) =>
        !have.has(entry.key) &&
        inScope(window.scope, entry.release) &&
        (tail === undefined || compareStoredNewestFirst(entry.release, tail) > 0),
    );
    found.push(...(await withBodies(ctx, docs, candidates.slice(0, room))));
    if (candidates.length > room) complete = false;
  }
  found.sort((a, b) => compareStoredNewestFirst(a.release, b.release));
  return refillWindow(window, found, complete, ctx.capacity(window.scope));
}

/**
 * Month entries with their full text, read from their records (the authority), and the
 * translations the month entry links (records keep none: they are a property of the group).
 */
async function withBodies(
  ctx: DeriveContext,
  docs: BatchDocuments,
  entries: readonly MonthEntry[],
): Promise<WindowEntry[]> {
  const records = await Promise.all(
    entries.map((entry) => docs.get(recordKey(entry.key), releaseRecordSchema)),
  );
  const out: WindowEntry[] = [];
  entries.forEach((entry, i) => {
    const release: StoredRelease | undefined = publicReleaseOf(records[i], ctx.now);
    if (release) {
      const translations = entry.release.translations ?? [];
      out.push({ key: entry.key, release: withTranslations(release, translations) });
    }
  });
  return out;
}
