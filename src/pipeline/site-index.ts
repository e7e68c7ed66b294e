import * as v from 'valibot';
import { documentOf } from '../shared/document-store.js';
import type { MonthDoc } from './months.js';
import { scopesOf, type WindowDoc, windowKey } from './windows.js';

/** A category that has public releases, with the display name of its newest release. */
interface IndexedCategory {
  slug: string;
  name: string;
}

/** Which categories, languages, months and years have public releases: the menus and archive. */
export interface SiteIndexDoc {
  version: 1;
  /** By slug. */
  categories: IndexedCategory[];
  /** By code. */
  langs: string[];
  /** Newest first (the years of `months`). */
  years: number[];
  /** `YYYY-MM` with public releases, newest first. */
  months: string[];
  /**
   * Per scope (its window key), the months with public releases in it, newest first: the RFC 5005
   * archive pages' prev-/next-archive links. Absent in documents written before archived feeds
   * (reconcile rebuilds it).
   */
  scopeMonths?: Record<string, string[]>;
}

/** A site with nothing published yet. */
export function emptySiteIndex(): SiteIndexDoc {
  return { version: 1, categories: [], langs: [], years: [], months: [], scopeMonths: {} };
}

/** The index after learning the current state of some windows and months. */
export function indexWith(
  doc: SiteIndexDoc,
  windows: readonly WindowDoc[],
  months: readonly MonthDoc[],
): SiteIndexDoc {
  const categories = new Map(doc.categories.map((category) => [category.slug, category.name]));
  const langs = new Set(doc.langs);
  const monthSet = new Set(doc.months ?? []);
  for (const window of windows) {
    const newest = window.entries[0]?.release;
    if (window.scope.kind === 'category') {
      if (newest === undefined) categories.delete(window.scope.categorySlug);
      else categories.set(window.scope.categorySlug, newest.category);
    } else if (window.scope.kind === 'lang') {
      if (newest === undefined) langs.delete(window.scope.lang);
      else langs.add(window.scope.lang);
    }
  }
  for (const month of months) {
    if (month.entries.length === 0) monthSet.delete(month.month);
    else monthSet.add(month.month);
  }
  const sortedMonths = [...monthSet].sort().reverse();
  const scopeMonths = scopeMonthsWith(doc.scopeMonths ?? {}, months);
  return {
    version: 1,
    categories: [...categories]
      .map(([slug, name]) => ({ slug, name }))
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
    langs: [...langs].sort(),
    years: [...new Set(sortedMonths.map((month) => Number(month.slice(0, 4))))],
    months: sortedMonths,
    scopeMonths,
  };
}

/** Per scope, the months with releases after learning the current state of some months. */
function scopeMonthsWith(
  before: Readonly<Record<string, string[]>>,
  months: readonly MonthDoc[],
): Record<string, string[]> {
  const sets = new Map(Object.entries(before).map(([key, list]) => [key, new Set(list)]));
  for (const month of months) {
    for (const set of sets.values()) set.delete(month.month);
    for (const entry of month.entries) {
      for (const scope of scopesOf(entry.release)) {
        const key = windowKey(scope);
        const set = sets.get(key) ?? new Set<string>();
        set.add(month.month);
        sets.set(key, set);
      }
    }
  }
  const result: Record<string, string[]> = {};
  for (const key of [...sets.keys()].sort()) {
    const list = [...(sets.get(key) ?? [])].sort().reverse();
    if (list.length > 0) result[key] = list;
  }
  return result;
}

/** The site index: categories, languages, years and months with public releases. */
export const siteIndexDocSchema = documentOf<SiteIndexDoc>(
  v.looseObject({
    version: v.literal(1),
    categories: v.array(v.looseObject({ slug: v.string(), name: v.string() })),
    langs: v.array(v.string()),
    years: v.array(v.number()),
    months: v.array(v.string()),
    scopeMonths: v.optional(v.record(v.string(), v.array(v.string()))),
  }),
);
