import { describe, expect, it } from 'vitest';
import {
  ALL_SCOPE,
  categoryScope,
  feedScopes,
  inScope,
  langScope,
  languageName,
  scopeFeedUrls,
  scopeLang,
  scopesOfRelease,
  scopeTitle,
} from '../../src/feeds/scopes.js';
import { makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';

describe('feedScopes', () => {
  it('lists all, then each category by slug, then each language by code, with their folders', () => {
    const scopes = feedScopes(realisticReleases());
    expect(scopes.map((scope) => scope.folder)).toEqual([
      'feeds/',
      'feeds/category/news/',
      'feeds/category/paatos/',
      'feeds/category/tiedote/',
      'feeds/lang/ar/',
      'feeds/lang/en/',
      'feeds/lang/fi/',
      'feeds/lang/sv/',
    ]);
  });

  it('does not depend on the input order', () => {
    const releases = realisticReleases();
    expect(feedScopes([...releases].reverse())).toEqual(feedScopes(releases));
  });

  it("names a category after its newest release's display name", () => {
    const older = makeRelease({
      sourcePath: 'a.md',
      category: 'tiedote',
      published: new Date('2020-01-01T00:00:00Z'),
    });
    const newer = makeRelease({
      sourcePath: 'b.md',
      category: 'Tiedote',
      published: new Date('2021-01-01T00:00:00Z'),
    });
    expect(feedScopes([newer, older])).toContainEqual(categoryScope('tiedote', 'Tiedote'));
    expect(feedScopes([older, newer])).toContainEqual(categoryScope('tiedote', 'Tiedote'));
  });

  it('gives only the site-wide scope when there are no releases', () => {
    expect(feedScopes([])).toEqual([ALL_SCOPE]);
  });
});

describe('scope titles and languages', () => {
  it('names languages in themselves', () => {
    expect(['fi', 'sv', 'en'].map(languageName)).toEqual(['suomi', 'svenska', 'English']);
    expect(languageName('not a tag!')).toBe('not a tag!');
  });

  it('titles feeds after the site and the scope', () => {
    expect(scopeTitle(ALL_SCOPE, TEST_SITE)).toBe('Esimerkkilä');
    expect(scopeTitle(categoryScope('tiedote', 'Tiedote'), TEST_SITE)).toBe(
      'Esimerkkilä – Tiedote',
    );
    expect(scopeTitle(langScope('sv'), TEST_SITE)).toBe('Esimerkkilä – svenska');
  });

  it('writes a language feed in its language and the others in the default one', () => {
    expect(scopeLang(langScope('en'), TEST_SITE)).toBe('en');
    expect(scopeLang(categoryScope('news', 'News'), TEST_SITE)).toBe('fi');
    expect(scopeLang(ALL_SCOPE, TEST_SITE)).toBe('fi');
  });

  it('serves each scope at absolute URLs under its folder', () => {
    expect(scopeFeedUrls(langScope('sv'), TEST_SITE)).toEqual({
      atom: 'https://tiedotteet.example.fi/feeds/lang/sv/atom.xml',
      rss: 'https://tiedotteet.example.fi/feeds/lang/sv/rss.xml',
      json: 'https://tiedotteet.example.fi/feeds/lang/sv/feed.json',
    });
  });
});

describe('membership', () => {
  it('puts a release in all, its category and its language, and nowhere else', () => {
    const release = makeRelease({ categorySlug: 'news', category: 'News', lang: 'en' });
    expect(scopesOfRelease(release)).toEqual([
      ALL_SCOPE,
      categoryScope('news', 'News'),
      langScope('en'),
    ]);
    expect(inScope(categoryScope('tiedote', 'Tiedote'), release)).toBe(false);
    expect(inScope(langScope('fi'), release)).toBe(false);
    for (const scope of scopesOfRelease(release)) expect(inScope(scope, release)).toBe(true);
  });
});
