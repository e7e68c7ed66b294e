import { beforeAll, describe, expect, it } from 'vitest';
import { personalize, prepareIssue, releasesFor } from '../../src/digest/render.js';
import {
  loadTemplateSource,
  type TemplateSource,
  VariantCache,
} from '../../src/digest/templates.js';
import { feedScopes } from '../../src/feeds/scopes.js';
import { renderIndexPage } from '../../src/pages/index-page.js';
import { parseRelease } from '../../src/release/parse.js';
import type { Release } from '../../src/release/types.js';
import { buildSite } from '../../src/site/build.js';
import {
  DEFAULT_CATEGORIES,
  findCategory,
  legacyCategoryFeeds,
  mergeCategories,
} from '../../src/site/categories.js';
import type { SiteConfig } from '../../src/site/config.js';
import { applySiteJson } from '../../src/site/site-config.js';
import { recipient } from '../digest/fixtures.js';
import { byTag, parseHtml, readable } from '../pages/html-check.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { TEST_SITE } from '../support/releases.js';

function parse(path: string, type: string, lang: string, site: SiteConfig = TEST_SITE): Release {
  const text = `---\ntitle: ${path}\ntype: ${type}\nlang: ${lang}\ndate: 2026-03-0${lang === 'fi' ? 1 : lang === 'sv' ? 2 : 3}T09:00:00+02:00\n---\n\nTeksti ${path}.\n`;
  const result = parseRelease(`${path}.md`, new TextEncoder().encode(text), site);
  if (!result.ok) throw new Error(result.problem.message);
  return result.release;
}

describe('the category catalogue', () => {
  it.each([
    ['Tiedote', 'tiedote'],
    ['PRESSMEDDELANDE', 'tiedote'],
    ['press release', 'tiedote'],
    ['Lehdistötiedote', 'tiedote'],
    ['uutinen', 'uutinen'],
    ['Nyhet', 'uutinen'],
    ['NEWS', 'uutinen'],
    ['Kuulutus', 'kuulutus'],
    ['kungörelse', 'kuulutus'],
    ['Kungorelse', 'kuulutus'],
    ['Public Notice', 'kuulutus'],
    ['Blogi', 'blogi'],
    ['blogg', 'blogi'],
    ['Blog', 'blogi'],
  ])('reads the type %s as the category %s', (type, key) => {
    expect(findCategory(type)?.key).toBe(key);
  });

  it('leaves an unknown type a category of its own', () => {
    expect(findCategory('Päätös')).toBeUndefined();
    const release = parse('paatos', 'Päätös', 'fi');
    expect(release).toMatchObject({ category: 'Päätös', categorySlug: 'paatos' });
  });

  it('gives a release the category key and the label in its own language', () => {
    expect(parse('a', 'Tiedote', 'sv')).toMatchObject({
      category: 'Pressmeddelande',
      categorySlug: 'tiedote',
    });
    expect(parse('b', 'PRESSMEDDELANDE', 'en')).toMatchObject({
      category: 'Press release',
      categorySlug: 'tiedote',
    });
    expect(parse('c', 'Kungörelse', 'fi')).toMatchObject({
      category: 'Kuulutus',
      categorySlug: 'kuulutus',
    });
  });

  it('is extended and overridden by site.json, and the parser follows it', () => {
    const site = applySiteJson(
      TEST_SITE,
      JSON.stringify({
        categories: [
          { key: 'paatos', labels: { fi: 'Päätös', sv: 'Beslut', en: 'Decision' } },
          { key: 'blogi', labels: { fi: 'Blogi', sv: 'Blogg', en: 'Blog' }, aliases: ['Kolumni'] },
        ],
      }),
    );
    expect(site.categories?.map((category) => category.key)).toEqual([
      'tiedote',
      'uutinen',
      'kuulutus',
      'blogi',
      'paatos',
    ]);
    expect(parse('d', 'Beslut', 'fi', site)).toMatchObject({
      category: 'Päätös',
      categorySlug: 'paatos',
    });
    expect(parse('e', 'kolumni', 'sv', site)).toMatchObject({
      category: 'Blogg',
      categorySlug: 'blogi',
    });
    expect(mergeCategories([{ key: 'x', labels: { fi: 'Blogi' } }])).toMatch(/names both/);
  });

  it('names the old feed folders of merged labels with their language', () => {
    expect(legacyCategoryFeeds('tiedote')).toEqual([
      { slug: 'press-release', lang: 'en' },
      { slug: 'pressmeddelande', lang: 'sv' },
    ]);
    expect(legacyCategoryFeeds('paatos')).toEqual([]);
    expect(DEFAULT_CATEGORIES).toHaveLength(4);
  });
});

describe('one category across languages', () => {
  const releases = [
    parse('fi', 'Tiedote', 'fi'),
    parse('sv', 'Pressmeddelande', 'sv'),
    parse('en', 'Press release', 'en'),
  ];
  const files = new Map(
    buildSite(releases, TEST_SITE, new Date('2026-04-01T00:00:00Z')).files.map((file) => [
      file.path,
      file.body,
    ]),
  );
  const base = 'https://tiedotteet.example.fi/feeds/category/';

  it('puts every language version in the category feed, valid in all three formats', () => {
    const atom = files.get('feeds/category/tiedote/atom.xml') ?? '';
    const rss = files.get('feeds/category/tiedote/rss.xml') ?? '';
    const json = files.get('feeds/category/tiedote/feed.json') ?? '';
    for (const feed of [atom, rss]) {
      expect(xmllintErrors(feed)).toBe('');
      const parsed = parseFeed(feed);
      expect(parsed.bozo).toBe(false);
      expect(parsed.feed.title).toBe('Esimerkkilä – Tiedote');
      expect(parsed.entries.map((entry) => entry.title)).toEqual(['en', 'sv', 'fi']);
    }
    expect(parseFeed(atom).entries.map((entry) => entry.tags)).toEqual([
      ['Press release'],
      ['Pressmeddelande'],
      ['Tiedote'],
    ]);
    expect(jsonFeedProblems(json)).toEqual([]);
    const items = (JSON.parse(json) as { items: { title: string; tags?: string[] }[] }).items;
    expect(items.map((item) => [item.title, item.tags?.[0]])).toEqual([
      ['en', 'Press release'],
      ['sv', 'Pressmeddelande'],
      ['fi', 'Tiedote'],
    ]);
  });

  it('keeps writing the old per-label feeds with the whole category, each with its own self link', () => {
    const old = parseFeed(files.get('feeds/category/pressmeddelande/atom.xml') ?? '');
    expect(old.bozo).toBe(false);
    expect(old.entries.map((entry) => entry.title)).toEqual(['en', 'sv', 'fi']);
    expect(old.feed.links.find((link) => link.rel === 'self')?.href).toBe(
      `${base}pressmeddelande/atom.xml`,
    );
    expect(parseFeed(files.get('feeds/category/press-release/rss.xml') ?? '').entries).toHaveLength(
      3,
    );
    expect(jsonFeedProblems(files.get('feeds/category/press-release/feed.json') ?? '')).toEqual([]);
    const subscriptionFeeds = [...files.keys()].filter(
      (path) => path.startsWith('feeds/category/') && !path.includes('/archive/'),
    );
    expect(subscriptionFeeds).toHaveLength(9);
    // The old feeds lead to the one archive of the category, in its own folder.
    const archive = old.feed.links.find((link) => link.rel === 'prev-archive')?.href ?? '';
    expect(archive.slice(base.length)).toMatch(/^tiedote\/archive\/\d{4}-\d{2}\.atom\.xml$/);
    expect(archive.startsWith(base)).toBe(true);
  });

  it('offers one topic on the front page, labelled in the page language', () => {
    const { root } = parseHtml(renderIndexPage(releases, TEST_SITE, feedScopes(releases), [2026]));
    const boxes = byTag(root, 'input', { name: 'categories' });
    expect(boxes.map((box) => box.attrs.value)).toEqual(['tiedote']);
    const labels = byTag(root, 'label', { class: 'choice' }).map((label) => readable(label.text));
    expect(labels).toContain('Tiedote');
    expect(labels).not.toContain('Pressmeddelande');
    const list = readable(byTag(root, 'ol', { class: 'releases' })[0]?.text ?? '');
    expect(list).not.toContain('Press release');
  });

  describe('in mail', () => {
    let source: TemplateSource;
    beforeAll(async () => {
      source = await loadTemplateSource();
    });

    it('names the category in the subscriber’s language', async () => {
      const cache = new VariantCache(source, TEST_SITE);
      const swedish = recipient('sv', { lang: 'sv', categories: ['tiedote'], languages: ['sv'] });
      const issue = prepareIssue(
        await cache.variant('daily', 'sv'),
        releases,
        TEST_SITE,
        new Date('2026-04-01T06:00:00Z'),
      );
      const mail = personalize(issue, swedish, releasesFor(swedish, releases));
      expect(mail.text).toContain('Pressmeddelande');
      expect(mail.text).not.toContain('Tiedote');
      expect(mail.text).not.toContain('Press release');
      const english = recipient('en', { lang: 'en', categories: ['tiedote'] });
      const all = prepareIssue(
        await cache.variant('daily', 'en'),
        releases,
        TEST_SITE,
        new Date('2026-04-01T06:00:00Z'),
      );
      const mailEn = personalize(all, english, releasesFor(english, releases));
      // Every language version is in the category; each item says it in the mail's language.
      expect(mailEn.text).toContain('Press release');
      expect(mailEn.text).not.toContain('Pressmeddelande');
    });
  });
});
