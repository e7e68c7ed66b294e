import { beforeAll, describe, expect, it } from 'vitest';
import { personalize, prepareIssue, releasesFor } from '../../src/digest/render.js';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import { parseRelease } from '../../src/release/parse.js';
import type { Release } from '../../src/release/types.js';
import { buildSite } from '../../src/site/build.js';
import { linkTranslations } from '../../src/site/translations.js';
import { recipient } from '../digest/fixtures.js';
import { byTag, only, parseHtml, readable } from '../pages/html-check.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { TEST_SITE } from '../support/releases.js';

const SITE = TEST_SITE.siteUrl;

function parse(
  path: string,
  title: string,
  lang: string,
  day: number,
  key = 'uimahalli-2026',
): Release {
  const text = `---\ntitle: ${title}\nlang: ${lang}\ndate: 2026-03-0${day}T09:00:00+02:00\ntranslation_key: ${key}\n---\n\n${title}.\n`;
  const result = parseRelease(`${path}.md`, new TextEncoder().encode(text), TEST_SITE);
  if (!result.ok) throw new Error(result.problem.message);
  return result.release;
}

const releases = [
  parse('uimahalli', 'Uimahalli avautuu', 'fi', 1),
  parse('simhallen', 'Simhallen öppnar', 'sv', 2),
  parse('pool', 'The pool opens', 'en', 3),
  parse('muu', 'Muu tiedote', 'fi', 4, 'muu-yksin'),
];
const files = new Map(
  buildSite(releases, TEST_SITE, new Date('2026-04-01T00:00:00Z')).files.map((file) => [
    file.path,
    file.body,
  ]),
);

describe('linked translations', () => {
  it('reads translation_key from front matter', () => {
    expect(releases.map((release) => release.translationKey)).toEqual([
      'uimahalli-2026',
      'uimahalli-2026',
      'uimahalli-2026',
      'muu-yksin',
    ]);
  });

  it('links each version to the others, one per language, and leaves single releases alone', () => {
    const linked = linkTranslations(releases);
    expect(linked[0]?.translations).toEqual([
      { lang: 'en', url: `${SITE}/releases/pool.html`, title: 'The pool opens' },
      { lang: 'sv', url: `${SITE}/releases/simhallen.html`, title: 'Simhallen öppnar' },
    ]);
    expect(linked[1]?.translations?.map((t) => t.lang)).toEqual(['en', 'fi']);
    expect(linked[3]).toBe(releases[3]);
  });

  it('gives each page hreflang alternates, a visible link line and a header language switch', () => {
    const { errors, root } = parseHtml(files.get('releases/uimahalli.html') ?? '');
    expect(errors).toEqual([]);
    expect(
      byTag(root, 'link', { rel: 'alternate' })
        .filter((link) => link.attrs.hreflang !== undefined)
        .map((link) => [link.attrs.hreflang, link.attrs.href]),
    ).toEqual([
      ['fi', `${SITE}/releases/uimahalli.html`],
      ['en', `${SITE}/releases/pool.html`],
      ['sv', `${SITE}/releases/simhallen.html`],
    ]);
    const line = only(byTag(root, 'p', { class: 'translations' }), 'translations line');
    expect(readable(line.text)).toBe('Tämä tiedote muilla kielillä: In English · På svenska');
    expect(byTag(line, 'a').map((a) => [a.attrs.lang, a.attrs.href])).toEqual([
      ['en', `${SITE}/releases/pool.html`],
      ['sv', `${SITE}/releases/simhallen.html`],
    ]);
    const nav = only(byTag(root, 'nav', { class: 'lang-switch' }), 'language switch');
    expect(byTag(nav, 'a').map((a) => a.text)).toEqual(['In English', 'På svenska']);
    expect(
      byTag(root, 'meta', { property: 'og:locale:alternate' }).map((meta) => meta.attrs.content),
    ).toEqual(['en_GB', 'sv_FI']);
    const swedish = parseHtml(files.get('releases/simhallen.html') ?? '').root;
    expect(readable(byTag(swedish, 'p', { class: 'translations' })[0]?.text ?? '')).toBe(
      'Det här pressmeddelandet på andra språk: In English · Suomeksi',
    );
    expect(
      byTag(parseHtml(files.get('releases/muu.html') ?? '').root, 'nav', { class: 'lang-switch' }),
    ).toEqual([]);
  });

  it('links the versions in Atom (rel=alternate hreflang) and JSON Feed (_translations); RSS stays valid', () => {
    const atom = files.get('feeds/atom.xml') ?? '';
    expect(xmllintErrors(atom)).toBe('');
    const parsed = parseFeed(atom);
    expect(parsed.bozo).toBe(false);
    const finnish = parsed.entries.find((entry) => entry.title === 'Uimahalli avautuu');
    expect(
      finnish?.links.filter((link) => link.rel === 'alternate').map((link) => link.href),
    ).toEqual([
      `${SITE}/releases/pool.html`,
      `${SITE}/releases/simhallen.html`,
      `${SITE}/releases/uimahalli.html`,
    ]);
    expect(atom).toContain(
      `<link rel="alternate" hreflang="sv" href="${SITE}/releases/simhallen.html" title="Simhallen öppnar"/>`,
    );
    expect(parseFeed(files.get('feeds/rss.xml') ?? '').bozo).toBe(false);
    const json = files.get('feeds/feed.json') ?? '';
    expect(jsonFeedProblems(json)).toEqual([]);
    const items = (JSON.parse(json) as { items: { title: string; _translations?: unknown }[] })
      .items;
    expect(items.find((item) => item.title === 'Simhallen öppnar')?._translations).toEqual([
      { language: 'en', url: `${SITE}/releases/pool.html`, title: 'The pool opens' },
      { language: 'fi', url: `${SITE}/releases/uimahalli.html`, title: 'Uimahalli avautuu' },
    ]);
    expect(items.find((item) => item.title === 'Muu tiedote')?._translations).toBeUndefined();
  });

  describe('in the digest', () => {
    let cache: VariantCache;
    beforeAll(async () => {
      cache = new VariantCache(await loadTemplateSource(), TEST_SITE);
    });

    it('sends a subscriber one version: the one in their language', async () => {
      const onlySwedish = recipient('a', { lang: 'sv', languages: ['sv'] });
      expect(releasesFor(onlySwedish, releases).map((r) => r.title)).toEqual(['Simhallen öppnar']);
      const everyLanguage = recipient('b', { lang: 'sv', languages: [] });
      expect(releasesFor(everyLanguage, releases).map((r) => r.title)).toEqual([
        'Simhallen öppnar',
        'Muu tiedote',
      ]);
      const issue = prepareIssue(
        await cache.variant('daily', 'sv'),
        releases,
        TEST_SITE,
        new Date('2026-03-05T06:00:00Z'),
      );
      const mail = personalize(issue, everyLanguage, releasesFor(everyLanguage, releases));
      expect(mail.text).toContain('Simhallen öppnar');
      expect(mail.text).not.toContain('Uimahalli avautuu');
      expect(mail.text).not.toContain('The pool opens');
    });
  });
});
