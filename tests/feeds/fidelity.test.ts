import { describe, expect, it } from 'vitest';
import type { JsonFeed } from '../../src/feeds/json.js';
import { renderFeeds } from '../../src/feeds/render.js';
import { ALL_SCOPE, categoryScope, type FeedScope } from '../../src/feeds/scopes.js';
import type { Release } from '../../src/release/types.js';
import { newestFirst } from '../../src/site/order.js';
import { parseFeed, xmllintErrors } from '../support/feed-check.js';
import { MEDIA_URLS, makeRelease, releaseWithMedia, TEST_SITE } from '../support/releases.js';

const SITE = TEST_SITE;
const feeds = (scope: FeedScope, releases: Release[]) =>
  renderFeeds(scope, newestFirst(releases, SITE.feedLimit), SITE);

const { picture, attachment } = MEDIA_URLS;
const withMedia = releaseWithMedia();
const anonymous = makeRelease({ sourcePath: '2020/b.md', title: 'Ilman kirjoittajaa' });
const signed = makeRelease({ sourcePath: '2020/c.md', author: 'Liisa Esimerkki' });

describe('the kicker in feeds', () => {
  const { atom, rss, json } = feeds(ALL_SCOPE, [withMedia]);

  it('opens the content as an italic line, in Atom, RSS and JSON Feed alike', () => {
    const kicker = '<p class="kicker"><em>Tästäkin &lt;selvitään&gt;.</em></p>';
    const atomContent = parseFeed(atom).entries[0]?.content[0]?.value ?? '';
    expect(atomContent.startsWith(kicker)).toBe(true);
    const rssContent = parseFeed(rss).entries[0]?.content[0]?.value ?? '';
    expect(rssContent.startsWith(kicker)).toBe(true);
    const item = (JSON.parse(json) as JsonFeed).items[0];
    expect(item?.content_html.startsWith(kicker)).toBe(true);
  });
});

describe('every entry has an author', () => {
  const { atom, rss, json } = feeds(ALL_SCOPE, [anonymous, signed]);

  it("is the release's own, else the organisation (the site title)", () => {
    const expected = { [anonymous.title]: SITE.title, [signed.title]: 'Liisa Esimerkki' };
    for (const body of [atom, rss]) {
      const parsed = parseFeed(body);
      expect(Object.fromEntries(parsed.entries.map((e) => [e.title, e.author]))).toEqual(expected);
    }
    expect(rss.match(/<dc:creator>/g)).toHaveLength(2);
    expect(atom.match(/<entry>[\s\S]*?<\/entry>/g)?.every((e) => e.includes('<author>'))).toBe(
      true,
    );
    const items = (JSON.parse(json) as JsonFeed).items;
    expect(Object.fromEntries(items.map((item) => [item.title, item.authors]))).toEqual({
      [anonymous.title]: [{ name: SITE.title }],
      [signed.title]: [{ name: 'Liisa Esimerkki' }],
    });
  });
});

describe('the language a feed declares', () => {
  const sv = (name: string) =>
    makeRelease({
      sourcePath: `sv/${name}.md`,
      title: `Pressmeddelande ${name}`,
      lang: 'sv',
      category: 'Pressmeddelande',
      categorySlug: 'pressmeddelande',
    });
  const fi = makeRelease({ sourcePath: 'fi.md', title: 'Suomeksi' });

  it('is the one language all its entries share (a category of Swedish releases is sv)', () => {
    const scope = categoryScope('pressmeddelande', 'Pressmeddelande');
    const { atom, rss, json } = feeds(scope, [sv('a'), sv('b')]);
    expect(atom).toContain('xml:lang="sv"');
    expect(atom).not.toMatch(/<entry xml:lang/);
    expect(parseFeed(rss).feed.language).toBe('sv');
    expect(rss).not.toContain('<dc:language>');
    expect((JSON.parse(json) as JsonFeed).language).toBe('sv');
  });

  it("is the site's default for a mix, and RSS items in another language say theirs", () => {
    const { atom, rss } = feeds(ALL_SCOPE, [sv('a'), fi]);
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fi">');
    expect(parseFeed(rss).feed.language).toBe('fi');
    const items = rss.match(/<item>[\s\S]*?<\/item>/g) ?? [];
    expect(items).toHaveLength(2);
    const swedish = items.find((item) => item.includes('Pressmeddelande a'));
    const finnish = items.find((item) => item.includes('Suomeksi'));
    expect(swedish).toContain('<dc:language>sv</dc:language>');
    expect(finnish).not.toContain('<dc:language>');
    expect(xmllintErrors(rss)).toBe('');
  });
});

describe('published media in feeds', () => {
  const { atom, rss, json } = feeds(ALL_SCOPE, [withMedia]);

  it('Atom: the image and the document as enclosures with real type and length, alt as title', () => {
    expect(xmllintErrors(atom)).toBe('');
    const entry = parseFeed(atom).entries[0];
    expect(entry?.enclosures).toEqual([
      expect.objectContaining({ href: picture, type: 'image/jpeg', length: '1358' }),
      expect.objectContaining({ href: attachment, type: 'application/pdf', length: '580' }),
    ]);
    expect(atom).toContain('title="Kaupungintalo &amp; tori"/>');
    expect(atom).toContain('title="Liite ä.pdf"/>');
  });

  it('RSS: one enclosure with the real length, and Media RSS content and thumbnail', () => {
    expect(xmllintErrors(rss)).toBe('');
    const entry = parseFeed(rss).entries[0];
    expect(entry?.enclosures).toEqual([
      expect.objectContaining({ href: picture, type: 'image/jpeg', length: '1358' }),
    ]);
    expect(entry?.mediaContent).toEqual([
      expect.objectContaining({
        url: picture,
        type: 'image/jpeg',
        medium: 'image',
        width: '640',
        height: '480',
        filesize: '1358',
      }),
      expect.objectContaining({
        url: attachment,
        type: 'application/pdf',
        medium: 'document',
        filesize: '580',
      }),
    ]);
    expect(entry?.mediaThumbnail).toEqual([
      expect.objectContaining({ url: picture, width: '640', height: '480' }),
    ]);
    expect(rss).toContain(
      '<media:description type="plain">Kaupungintalo &#x26; tori</media:description>',
    );
  });

  it('JSON Feed: the image, and the document as an attachment with size and name', () => {
    const item = (JSON.parse(json) as JsonFeed).items[0];
    expect(item?.image).toBe(picture);
    expect(item?.attachments).toEqual([
      { url: attachment, mime_type: 'application/pdf', title: 'Liite ä.pdf', size_in_bytes: 580 },
    ]);
  });
});
