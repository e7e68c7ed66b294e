import type { Release, ReleaseTranslation } from '../release/types.js';
import { compareCodeUnits, compareNewestFirst } from './order.js';

/** What linking needs of a language version: enough to order it and to link to it. */
export type TranslationCandidate = Pick<
  Release,
  'lang' | 'url' | 'title' | 'published' | 'sourcePath'
>;

/**
 * Links the language versions of each release: releases with the same `translationKey` get each
 * other (one per language other than their own, the newest if a language has several) as
 * `translations`, sorted by language code. Releases without a key or without another version are
 * returned as they are. A whole-set step, like slug resolution: run it on the live releases with
 * their slugs resolved, so every URL is final.
 */
export function linkTranslations<
  T extends TranslationCandidate & Pick<Release, 'translationKey' | 'translations'>,
>(releases: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const release of releases) {
    if (release.translationKey === undefined) continue;
    const group = groups.get(release.translationKey);
    if (group === undefined) groups.set(release.translationKey, [release]);
    else group.push(release);
  }
  return releases.map((release) => {
    const group =
      release.translationKey === undefined ? undefined : groups.get(release.translationKey);
    if (group === undefined) return release;
    const translations = translationsAmong(release.lang, group);
    return translations.length === 0 ? release : { ...release, translations };
  });
}

/**
 * The translations a version in `lang` links to among `group` (every live version sharing its
 * `translationKey`, itself included): the newest version of each other language, by language code.
 * The pipeline calls this with the members of a translation group document, the full build through
 * {@link linkTranslations}, so both link alike.
 */
export function translationsAmong(
  lang: string,
  group: readonly TranslationCandidate[],
): ReleaseTranslation[] {
  const newest = new Map<string, TranslationCandidate>();
  for (const other of group) {
    if (other.lang === lang) continue;
    const current = newest.get(other.lang);
    if (current === undefined || compareNewestFirst(other, current) < 0)
      newest.set(other.lang, other);
  }
  return [...newest.values()]
    .sort((a, b) => compareCodeUnits(a.lang, b.lang))
    .map(({ lang, url, title }) => ({ lang, url, title }));
}
