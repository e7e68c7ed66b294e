import { describe, expect, it } from 'vitest';
import { EMPTY_FEED_UPDATED } from '../../src/feeds/entry.js';
import { renderFeeds } from '../../src/feeds/render.js';
import {
  ALL_SCOPE,
  categoryScope,
  type FeedScope,
  inScope,
  langScope,
} from '../../src/feeds/scopes.js';
import { newestFirst } from '../../src/site/order.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { awkwardReleases, makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';

const SITE = TEST_SITE;
const releases = realisticReleases();

function feedsFor(scope: FeedScope, from = releases) {
  return renderFeeds(
    scope,
    newestFirst(
      from.filter((release) => inScope(scope, release)),
      SITE.feedLimit,
    ),
    SITE,
  );
}

describe('Atom', () => {
  const { atom } = feedsFor(ALL_SCOPE);
  const parsed = parseFeed(atom);

  it('is well-formed Atom 1.0 that a feed reader parses without complaint', () => {
    expect(xmllintErrors(atom)).toBe('');
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('atom10');
  });

  it('links itself at the URL it is served from, and the site as alternate', () => {
    expect(parsed.feed.links).toContainEqual(
      expect.objectContaining({ rel: 'self', href: `${SITE.siteUrl}/feeds/atom.xml` }),
    );
    expect(parsed.feed.links).toContainEqual(
      expect.objectContaining({ rel: 'alternate', href: `${SITE.siteUrl}/` }),
    );
    expect(parsed.feed.title).toBe('Esimerkkilä');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fi">');
  });

  it('lists entries newest first with stable ids, links and dates', () => {
    const expected = newestFirst(releases);
    expect(parsed.entries.map((entry) => entry.id)).toEqual(expected.map((r) => r.id));
    expect(parsed.entries.map((entry) => entry.link)).toEqual(expected.map((r) => r.url));
    const budget = parsed.entries[1];
    expect(budget?.published).toBe('2020-04-09T09:00:00Z');
    expect(budget?.updated).toBe('2020-04-10T12:15:00Z');
    expect(parsed.entries[0]?.updated).toBe(parsed.entries[0]?.published);
  });

  it('takes the feed-level updated from the newest item change, never the clock', () => {
    expect(parsed.feed.updated).toBe('2020-04-10T12:15:00Z');
  });

  it('keeps plain-text titles exactly, escaped as text', () => {
    const first = parsed.entries[0];
    expect(first?.title).toBe('Uimahalli & kuntosali avautuvat – "turvavälit" <pidetään>');
    expect(first?.titleType).toBe('text/plain');
    expect(parsed.entries[1]?.title).toBe('Talousarvio 2021: investoinnit < 100 M€ 📉');
  });

  it('carries summary, full HTML content, categories, author and image', () => {
    const first = parsed.entries[0];
    expect(first?.summaryType).toBe('text/html');
    expect(first?.summary).toContain('klo 6.30 &amp; kuntosali');
    expect(first?.content[0]?.value).toContain('<strong>koronaviruksen</strong>');
    expect(first?.tags).toEqual(['Tiedote', 'liikunta', 'korona']);
    expect(first?.author).toBe('Liikuntapalvelut / Maija Meikäläinen');
    expect(first?.links).toContainEqual(
      expect.objectContaining({
        rel: 'enclosure',
        href: `${SITE.siteUrl}/kuvat/uimahalli.jpg`,
        type: 'image/jpeg',
      }),
    );
  });

  it('marks entries in another language with xml:lang', () => {
    const languages = Object.fromEntries(parsed.entries.map((e) => [e.title, e.language]));
    expect(languages['Simhallen öppnar på måndag']).toBe('sv');
    expect(languages['City library extends its opening hours 📚']).toBe('en');
    expect(languages['المكتبة مفتوحة يوم الاثنين']).toBe('ar');
    expect(languages['Katutöitä Mannerheimintiellä']).toBe('fi');
    expect(atom.match(/<entry xml:lang=/g)).toHaveLength(3);
  });

  it('is written in the scope language for a language feed', () => {
    const sv = parseFeed(feedsFor(langScope('sv')).atom);
    expect(sv.feed.language).toBe('sv');
    expect(sv.feed.title).toBe('Esimerkkilä – svenska');
    expect(sv.entries.map((entry) => entry.title)).toEqual(['Simhallen öppnar på måndag']);
    expect(sv.feed.links).toContainEqual(
      expect.objectContaining({ rel: 'self', href: `${SITE.siteUrl}/feeds/lang/sv/atom.xml` }),
    );
  });
});

describe('Atom entries that share a date', () => {
  // Date-only releases of the same day share an instant. atom:updated says when each really
  // changed, so they share it too; the W3C validator's DuplicateUpdated note is then the truth.
  const day = new Date('2025-04-08T21:00:00Z');
  const sameDay = ['a', 'b', 'c'].map((name) =>
    makeRelease({ sourcePath: `2025/${name}.md`, title: `Päivän tiedote ${name}`, published: day }),
  );
  /** Each entry's id and raw atom:updated, in feed order. */
  const updates = (atom: string) =>
    [...atom.matchAll(/<id>([^<]+)<\/id>\s*<link[^>]*>\s*<updated>([^<]+)<\/updated>/g)].map(
      (match) => ({ id: match[1], updated: match[2] }),
    );

  it("gives each the release's real last change, with no invented offset", () => {
    const all = updates(feedsFor(ALL_SCOPE, sameDay).atom);
    expect(all).toHaveLength(3);
    for (const entry of all) expect(entry.updated).toBe('2025-04-08T21:00:00.000Z');
  });

  it('says the stated `updated:` of an edited release', () => {
    const edited = makeRelease({
      published: day,
      updated: new Date('2025-04-09T06:30:00Z'),
    });
    const [entry] = updates(feedsFor(ALL_SCOPE, [edited]).atom);
    expect(entry?.updated).toBe('2025-04-09T06:30:00.000Z');
  });
});

describe('an entry with neither text nor summary', () => {
  it('is summarised by its title in Atom, which wants text in every entry', () => {
    const bare = makeRelease({ title: 'Pelkkä otsikko & <ei muuta>', contentHtml: '' });
    const { atom } = feedsFor(ALL_SCOPE, [bare]);
    expect(xmllintErrors(atom)).toBe('');
    const entry = parseFeed(atom).entries[0];
    expect(entry?.summary).toBe('Pelkkä otsikko &amp; &lt;ei muuta&gt;');
    expect(entry?.content ?? []).toEqual([]);
  });
});

describe('a WebSub hub', () => {
  const hub = 'https://pubsubhubbub.example/';
  const withHub = renderFeeds(ALL_SCOPE, newestFirst(releases, SITE.feedLimit), {
    ...SITE,
    websubHub: hub,
  });

  it('is linked as rel="hub" in Atom and RSS and listed in JSON Feed hubs', () => {
    for (const xml of [withHub.atom, withHub.rss]) {
      expect(xmllintErrors(xml)).toBe('');
      expect(parseFeed(xml).feed.links).toContainEqual(
        expect.objectContaining({ rel: 'hub', href: hub }),
      );
    }
    const json = JSON.parse(withHub.json);
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hub }]);
    expect(jsonFeedProblems(withHub.json)).toEqual([]);
  });

  it('is not mentioned when none is configured', () => {
    const plain = feedsFor(ALL_SCOPE);
    expect(plain.atom).not.toContain('rel="hub"');
    expect(plain.rss).not.toContain('rel="hub"');
    expect(JSON.parse(plain.json).hubs).toBeUndefined();
  });
});

describe('RSS', () => {
  const { rss } = feedsFor(categoryScope('tiedote', 'Tiedote'));
  const parsed = parseFeed(rss);

  it('is well-formed RSS 2.0 that a feed reader parses without complaint', () => {
    expect(xmllintErrors(rss)).toBe('');
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe('rss20');
  });

  it('declares the atom namespace and links itself with atom:link rel="self"', () => {
    expect(rss).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
    expect(parsed.feed.links).toContainEqual(
      expect.objectContaining({
        rel: 'self',
        href: `${SITE.siteUrl}/feeds/category/tiedote/rss.xml`,
        type: 'application/rss+xml',
      }),
    );
    expect(parsed.feed.title).toBe('Esimerkkilä – Tiedote');
    expect(parsed.feed.language).toBe('fi');
  });

  it('uses non-permalink guids from the release ids and links to the release pages', () => {
    const expected = newestFirst(releases.filter((r) => r.categorySlug === 'tiedote'));
    expect(parsed.entries.map((entry) => entry.id)).toEqual(expected.map((r) => r.id));
    expect(parsed.entries.map((entry) => entry.link)).toEqual(expected.map((r) => r.url));
    expect(rss.match(/<guid isPermaLink="false">urn:uuid:/g)).toHaveLength(expected.length);
  });

  it('writes dates in RFC 822 with English names', () => {
    const dates = [...rss.matchAll(/<(pubDate|lastBuildDate)>([^<]*)</g)].map((m) => m[2]);
    expect(dates.length).toBeGreaterThan(1);
    for (const date of dates) {
      expect(date).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
      );
    }
    expect(parsed.entries[0]?.published).toBe('2020-04-09T15:33:00Z');
  });

  it('escapes plain text with hexadecimal references and keeps it exact', () => {
    expect(rss).toContain('<title>Uimahalli &#x26; kuntosali avautuvat');
    expect(parsed.entries[0]?.title).toBe(
      'Uimahalli & kuntosali avautuvat – "turvavälit" <pidetään>',
    );
  });

  it('puts the summary in description and the full HTML in content:encoded', () => {
    const first = parsed.entries[0];
    expect(first?.summary).toContain('Itäkeskuksen uimahalli avautuu');
    expect(first?.content[0]?.value).toContain('<strong>koronaviruksen</strong>');
    expect(rss.indexOf('<description><![CDATA[Itäkeskuksen')).toBeLessThan(
      rss.indexOf('<content:encoded>'),
    );
  });

  it('carries categories, the author as dc:creator and the image as an enclosure', () => {
    const first = parsed.entries[0];
    expect(first?.tags).toEqual(['Tiedote', 'liikunta', 'korona']);
    expect(first?.author).toBe('Liikuntapalvelut / Maija Meikäläinen');
    expect(rss).toContain('<dc:creator>Liikuntapalvelut / Maija Meikäläinen</dc:creator>');
    expect(first?.enclosures).toEqual([
      expect.objectContaining({
        href: `${SITE.siteUrl}/kuvat/uimahalli.jpg`,
        type: 'image/jpeg',
        length: '0',
      }),
    ]);
  });

  it('gives a release without a summary its full HTML as the description', () => {
    const roadworks = parsed.entries.find(
      (entry) => entry.title === 'Katutöitä Mannerheimintiellä',
    );
    expect(roadworks?.summary).toContain('<ul><li>Yksi</li>');
    for (const item of rss.split('<item>').slice(1)) {
      const description = item.indexOf('<description>');
      expect(description).toBeGreaterThan(-1);
      if (item.includes('<content:encoded>')) {
        expect(description).toBeLessThan(item.indexOf('<content:encoded>'));
      }
    }
  });
});

describe('JSON Feed', () => {
  const { json } = feedsFor(ALL_SCOPE);
  const feed = JSON.parse(json);

  it('is JSON Feed 1.1 with the required and recommended fields', () => {
    expect(jsonFeedProblems(json)).toEqual([]);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('fi');
    expect(feed.home_page_url).toBe(`${SITE.siteUrl}/`);
    expect(feed.feed_url).toBe(`${SITE.siteUrl}/feeds/feed.json`);
    expect(feed.title).toBe('Esimerkkilä');
  });

  it('lists items newest first with id, url, summary, full HTML, tags and image', () => {
    const expected = newestFirst(releases);
    expect(feed.items.map((item: { id: string }) => item.id)).toEqual(expected.map((r) => r.id));
    const first = feed.items[0];
    expect(first).toMatchObject({
      url: expected[0]?.url,
      title: 'Uimahalli & kuntosali avautuvat – "turvavälit" <pidetään>',
      summary: 'Itäkeskuksen uimahalli avautuu maanantaina 14.4. klo 6.30 & kuntosali heti perään.',
      image: `${SITE.siteUrl}/kuvat/uimahalli.jpg`,
      date_published: '2020-04-09T15:33:00.000Z',
      authors: [{ name: 'Liikuntapalvelut / Maija Meikäläinen' }],
      tags: ['Tiedote', 'liikunta', 'korona'],
    });
    expect(first.content_html).toContain('<strong>koronaviruksen</strong>');
    expect(first).not.toHaveProperty('date_modified');
    expect(first).not.toHaveProperty('language');
  });

  it('states date_modified only for edited releases and language only when it differs', () => {
    const byTitle = new Map(feed.items.map((item: { title: string }) => [item.title, item]));
    expect(byTitle.get('Talousarvio 2021: investoinnit < 100 M€ 📉')).toMatchObject({
      date_modified: '2020-04-10T12:15:00.000Z',
    });
    expect(byTitle.get('Simhallen öppnar på måndag')).toMatchObject({ language: 'sv' });
  });
});

describe('awkward input', () => {
  const awkward = [...awkwardReleases(), ...releases];
  const feeds = feedsFor(ALL_SCOPE, awkward);

  it('stays well-formed whatever the text holds', () => {
    expect(xmllintErrors(feeds.atom)).toBe('');
    expect(xmllintErrors(feeds.rss)).toBe('');
    expect(jsonFeedProblems(feeds.json)).toEqual([]);
    for (const body of [feeds.atom, feeds.rss, feeds.json]) {
      expect(body).not.toContain('\u0007');
      expect(body).not.toContain('\u0001');
    }
  });

  it('keeps literal entity text, markup-like text and ]]> exactly as written', () => {
    const title = 'AT&amp;T ]]> <b>ei lihavoitu</b> & "lainaus" kello';
    expect(parseFeed(feeds.atom).entries[0]?.title).toBe(title);
    expect(JSON.parse(feeds.json).items[0].title).toBe(title);
    expect(parseFeed(feeds.atom).entries[0]?.content[0]?.value).toContain('Kaksi ]]&gt; ja toinen');
    expect(parseFeed(feeds.rss).entries[0]?.tags).toEqual([
      'Kulttuuri & <vapaa-aika>',
      '"lainattu"',
      'a&b',
    ]);
  });

  it('is not confused by content that quotes feed markup', () => {
    const quoting = makeRelease({
      contentHtml:
        '<p><feed xmlns="http://www.w3.org/2005/Atom"><rss version="2.0"></p>' +
        '<entry>\n        <title type="html"><![CDATA[x]]></title>',
    });
    const out = renderFeeds(ALL_SCOPE, [quoting], SITE);
    for (const body of [out.atom, out.rss]) expect(xmllintErrors(body)).toBe('');
    expect(parseFeed(out.atom).entries.map((entry) => entry.title)).toEqual([quoting.title]);
    expect(parseFeed(out.rss).entries.map((entry) => entry.title)).toEqual([quoting.title]);
    expect(out.atom).toContain('<![CDATA[<p><feed xmlns="http://www.w3.org/2005/Atom">');
  });

  it('escapes a site title that looks like markup or holds a literal entity', () => {
    const site = { ...SITE, title: 'Kaupunki & <Testi> "AT&amp;T"' };
    const out = renderFeeds(ALL_SCOPE, [], site);
    expect(parseFeed(out.atom).feed.title).toBe(site.title);
    expect(parseFeed(out.rss).feed.title).toBe(site.title);
    expect(JSON.parse(out.json).title).toBe(site.title);
  });

  it('leaves an image of unknown type out of Atom and RSS but keeps it in JSON', () => {
    const first = parseFeed(feeds.atom).entries[0];
    expect(first?.links.some((link) => link.rel === 'enclosure')).toBe(false);
    expect(parseFeed(feeds.rss).entries[0]?.enclosures).toEqual([]);
    expect(JSON.parse(feeds.json).items[0].image).toBe(`${SITE.siteUrl}/kuva?id=1&koko=iso`);
  });
});

describe('an empty scope', () => {
  const feeds = renderFeeds(categoryScope('tyhja', 'Tyhjä'), [], SITE);

  it('is a valid feed with no items and a fixed updated', () => {
    const atom = parseFeed(feeds.atom);
    const rss = parseFeed(feeds.rss);
    expect([atom.bozo, rss.bozo]).toEqual([false, false]);
    expect(atom.entries).toEqual([]);
    expect(rss.entries).toEqual([]);
    expect(atom.feed.updated).toBe('2000-01-01T00:00:00Z');
    expect(EMPTY_FEED_UPDATED.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(feeds.rss).toContain('<lastBuildDate>Sat, 01 Jan 2000 00:00:00 GMT</lastBuildDate>');
    expect(jsonFeedProblems(feeds.json)).toEqual([]);
    expect(JSON.parse(feeds.json).items).toEqual([]);
  });
});

describe('determinism', () => {
  it('renders byte-identical feeds for the same releases', () => {
    const scope = categoryScope('tiedote', 'Tiedote');
    const input = newestFirst(releases.filter((release) => inScope(scope, release)));
    const again = input.map((release) => ({ ...release, tags: [...release.tags] }));
    expect(renderFeeds(scope, again, SITE)).toEqual(renderFeeds(scope, input, SITE));
  });

  it('never includes more than it is given', () => {
    const many = Array.from({ length: 3 }, (_, i) =>
      makeRelease({ sourcePath: `r/${i}.md`, published: new Date(Date.UTC(2021, 0, i + 1)) }),
    );
    const atom = parseFeed(renderFeeds(ALL_SCOPE, many.slice(0, 2), SITE).atom);
    expect(atom.entries).toHaveLength(2);
  });
});
