import type { WindowDoc } from './windows.js';
import type { YearDoc } from './years.js';

/** A category that has public releases, with the display name of its newest release. */
export interface IndexedCategory {
  slug: string;
  name: string;
}

/** Which categories, languages and years have public releases: the index page's menus. */
export interface SiteIndexDoc {
  version: 1;
  /** By slug. */
  categories: IndexedCategory[];
  /** By code. */
  langs: string[];
  /** Newest first. */
  years: number[];
}

/** A site with nothing published yet. */
export function emptySiteIndex(): SiteIndexDoc {
  return { version: 1, categories: [], langs: [], years: [] };
}

/** The index after learning the current state of some windows and years. */
export function indexWith(
  doc: SiteIndexDoc,
  windows: readonly WindowDoc[],
  years: readonly YearDoc[],
): SiteIndexDoc {
  const categories = new Map(doc.categories.map((category) => [category.slug, category.name]));
  const langs = new Set(doc.langs);
  const yearSet = new Set(doc.years);
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
  for (const year of years) {
    if (year.entries.length === 0) yearSet.delete(year.year);
    else yearSet.add(year.year);
  }
  return {
    version: 1,
    categories: [...categories]
      .map(([slug, name]) => ({ slug, name }))
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
    langs: [...langs].sort(),
    years: [...yearSet].sort((a, b) => b - a),
  };
}
