import type { Release } from '../release/types.js';
import { categoryLabel } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { compareCodeUnits, compareNewestFirst } from '../site/order.js';

/** Every published release: `feeds/`. */
export interface AllScope {
  kind: 'all';
  folder: 'feeds/';
}

/** The releases of one category: `feeds/category/<categorySlug>/`. */
export interface CategoryScope {
  kind: 'category';
  categorySlug: string;
  /** The category's display name, e.g. `Tiedote`. */
  name: string;
  folder: string;
}

/** The releases in one language: `feeds/lang/<lang>/`. */
export interface LangScope {
  kind: 'lang';
  lang: string;
  /** The language's name in that language: `suomi`, `svenska`, `English`. */
  name: string;
  folder: string;
}

/** A set of releases that gets its own Atom, RSS and JSON feed. */
export type FeedScope = AllScope | CategoryScope | LangScope;

/** File names inside a scope's folder. */
export const FEED_FILES = { atom: 'atom.xml', rss: 'rss.xml', json: 'feed.json' } as const;

/** The site-wide scope. */
export const ALL_SCOPE: AllScope = { kind: 'all', folder: 'feeds/' };

/** The scope of one category; `name` is the display name shown in titles. */
export function categoryScope(categorySlug: string, name: string): CategoryScope {
  return { kind: 'category', categorySlug, name, folder: `feeds/category/${categorySlug}/` };
}

/** The scope of one language (BCP 47 primary code). */
export function langScope(lang: string): LangScope {
  return { kind: 'lang', lang, name: languageName(lang), folder: `feeds/lang/${lang}/` };
}

/**
 * The scopes present in `releases`: `all` first, then one per category slug (by slug), then one per
 * language (by code). A category's display name is taken from its newest release, so the result does
 * not depend on the input order.
 */
export function feedScopes(
  releases: readonly Pick<
    Release,
    'categorySlug' | 'category' | 'lang' | 'published' | 'sourcePath'
  >[],
): FeedScope[] {
  const newestPerCategory = new Map<string, (typeof releases)[number]>();
  const langs = new Set<string>();
  for (const release of releases) {
    const current = newestPerCategory.get(release.categorySlug);
    if (current === undefined || compareNewestFirst(release, current) < 0) {
      newestPerCategory.set(release.categorySlug, release);
    }
    langs.add(release.lang);
  }
  const categories = [...newestPerCategory.values()]
    .sort((a, b) => compareCodeUnits(a.categorySlug, b.categorySlug))
    .map((release) => categoryScope(release.categorySlug, release.category));
  const languages = [...langs].sort(compareCodeUnits).map(langScope);
  return [ALL_SCOPE, ...categories, ...languages];
}

/** The three scopes a release belongs to: all, its category, its language. */
export function scopesOfRelease(release: Release): FeedScope[] {
  return [
    ALL_SCOPE,
    categoryScope(release.categorySlug, release.category),
    langScope(release.lang),
  ];
}

/** What identifies a scope: a feed scope, or the pipeline's record of one. */
export type ScopeRef =
  | { kind: 'all' }
  | { kind: 'category'; categorySlug: string }
  | { kind: 'lang'; lang: string };

/** Whether a release belongs in `scope`'s feeds. */
export function inScope(scope: ScopeRef, release: Pick<Release, 'categorySlug' | 'lang'>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'category':
      return release.categorySlug === scope.categorySlug;
    case 'lang':
      return release.lang === scope.lang;
  }
}

/** The feed's title: the site title, followed by the scope's name for a category or language. */
export function scopeTitle(scope: FeedScope, site: SiteConfig): string {
  if (scope.kind === 'all') return site.title;
  const name =
    scope.kind === 'category'
      ? categoryLabel(scope.categorySlug, site.defaultLang, scope.name, site.categories)
      : scope.name;
  return `${site.title} – ${name}`;
}

/** The language the feed is written in: the scope's language, else the site's default. */
export function scopeLang(scope: FeedScope, site: SiteConfig): string {
  return scope.kind === 'lang' ? scope.lang : site.defaultLang;
}

/** Absolute URLs the scope's three feeds are served at. */
export function scopeFeedUrls(
  scope: FeedScope,
  site: SiteConfig,
): { atom: string; rss: string; json: string } {
  const base = `${site.siteUrl}/${scope.folder}`;
  return {
    atom: base + FEED_FILES.atom,
    rss: base + FEED_FILES.rss,
    json: base + FEED_FILES.json,
  };
}

const languageNames = new Map<string, string>();

/** A language's own name for itself (`sv` → `svenska`); the code itself when ICU has no name. */
export function languageName(lang: string): string {
  let name = languageNames.get(lang);
  if (name === undefined) {
    try {
      name = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(lang) ?? lang;
    } catch {
      name = lang; // not a well-formed language tag: show it as it is
    }
    languageNames.set(lang, name);
  }
  return name;
}
