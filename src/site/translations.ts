import type { Release, ReleaseTranslation } from '../release/types.js';
import { compareCodeUnits, compareNewestFirst } from './order.js';

/**
 * Links the language versions of each release: releases with the same `translationKey` get each
 * other (one per language other than their own, the newest if a language has several) as
 * `translations`, sorted by language code. Releases without a key or without another version are
 * returned as they are. A whole-set step, like slug resolution: run it on the live releases with
 * their slugs resolved, so every URL is final.
 */
export function linkTranslations(releases: readonly Release[]): Release[] {
  const groups = new Map<string, Release[]>();
  for (const release of releases) {
    if (release.translationKey === undefined) continue;
    const group = groups.get(release.translationKey);
    if (group === undefined) groups.set(release.translationKey, [release]);
    else group.push(release);
  }
  return releases.map((release) => {
    const group =
      release.translationKey === undefined ? undefined : groups.get(release.translationKey);
    if (group === undefined || group.length < 2) return release;
    const translations = newestPerLang(group.filter((other) => other.lang !== release.lang));
    return translations.length === 0 ? release : { ...release, translations };
  });
}

function newestPerLang(releases: readonly Release[]): ReleaseTranslation[] {
  const newest = new Map<string, Release>();
  for (const release of releases) {
    const current = newest.get(release.lang);
    if (current === undefined || compareNewestFirst(release, current) < 0)
      newest.set(release.lang, release);
  }
  return [...newest.values()]
    .sort((a, b) => compareCodeUnits(a.lang, b.lang))
    .map(({ lang, url, title }) => ({ lang, url, title }));
}
