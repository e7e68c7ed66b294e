import { describe, expect, it } from 'vitest';
import { renderReleasePage } from '../../src/pages/release-page.js';
import { makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';
import { byTag, findAll, only, parseHtml, readable } from './html-check.js';

const [pool, budget, swedish, , arabic] = realisticReleases();
if (!pool || !budget || !swedish || !arabic) throw new Error('fixture changed');

describe('release page', () => {
  const html = renderReleasePage(pool, TEST_SITE);
  const { errors, root } = parseHtml(html);

  it('is a clean HTML5 document in the release language, with charset and viewport', () => {
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(errors).toEqual([]);
    expect(root.attrs.lang).toBe('fi');
    expect(byTag(root, 'meta', { charset: 'utf-8' })).toHaveLength(1);
    expect(byTag(root, 'meta', { name: 'viewport' })[0]?.attrs.content).toBe(
      'width=device-width, initial-scale=1',
    );
    // No script: the one script element is JSON-LD data, which browsers never run.
    expect(byTag(root, 'script').map((script) => script.attrs.type)).toEqual([
      'application/ld+json',
    ]);
  });

  it('has one h1 with the escaped title, the kicker above it, and landmarks', () => {
    const h1 = only(byTag(root, 'h1'), 'h1');
    expect(h1.text).toBe(pool.title);
    expect(html).toContain('&lt;pidetään&gt;');
    expect(html.indexOf('class="kicker">Liikunta<')).toBeLessThan(html.indexOf('<h1>'));
    for (const landmark of ['header', 'main', 'nav', 'footer']) {
      expect(byTag(root, landmark).length).toBeGreaterThan(0);
    }
    const skip = byTag(root, 'a', { class: 'skip' })[0];
    expect(skip?.attrs.href).toBe('#main');
    expect(only(byTag(root, 'main'), 'main').attrs.id).toBe('main');
  });

  it('shows the local publication time and the facts', () => {
    const time = byTag(root, 'time')[0];
    expect(time?.attrs.datetime).toBe('2020-04-09T15:33:00Z');
    expect(time?.text).toBe('9.4.2020 klo 18.33');
    const facts = readable(only(byTag(root, 'dl'), 'dl').text);
    expect(facts).toContain('Aihe Tiedote');
    expect(facts).toContain('Laatija Liikuntapalvelut / Maija Meikäläinen');
    expect(readable(byTag(root, 'p', { class: 'summary' })[0]?.text ?? '')).toBe(pool.summary);
  });

  it('shows the lead image with an alt attribute and the full content', () => {
    const images = byTag(root, 'img');
    expect(images[0]?.attrs).toEqual({ src: pool.image, alt: '' });
    expect(images[1]?.attrs.alt).toBe('Tyhjä allas');
    expect(readable(byTag(root, 'div', { class: 'content' })[0]?.text ?? '')).toContain(
      'Uimahalli on ollut suljettuna koronaviruksen vuoksi.',
    );
  });

  it('has a canonical link and announces site-wide, category and language feeds', () => {
    expect(byTag(root, 'link', { rel: 'canonical' })[0]?.attrs.href).toBe(pool.url);
    const feeds = byTag(root, 'link', { rel: 'alternate' }).map((link) => [
      link.attrs.type,
      link.attrs.href,
    ]);
    const base = TEST_SITE.siteUrl;
    expect(feeds).toEqual([
      ['application/atom+xml', `${base}/feeds/atom.xml`],
      ['application/rss+xml', `${base}/feeds/rss.xml`],
      ['application/feed+json', `${base}/feeds/feed.json`],
      ['application/atom+xml', `${base}/feeds/category/tiedote/atom.xml`],
      ['application/rss+xml', `${base}/feeds/category/tiedote/rss.xml`],
      ['application/feed+json', `${base}/feeds/category/tiedote/feed.json`],
      ['application/atom+xml', `${base}/feeds/lang/fi/atom.xml`],
      ['application/rss+xml', `${base}/feeds/lang/fi/rss.xml`],
      ['application/feed+json', `${base}/feeds/lang/fi/feed.json`],
    ]);
    expect(byTag(root, 'link', { rel: 'alternate' })[3]?.attrs.title).toBe(
      'Esimerkkilä – Tiedote (Atom)',
    );
  });

  it('shows an edit time only when the release was updated', () => {
    const edited = parseHtml(renderReleasePage(budget, TEST_SITE)).root;
    expect(byTag(edited, 'time').map((time) => time.text)).toEqual([
      '9.4.2020 klo 12.00',
      '10.4.2020 klo 15.15',
    ]);
    expect(byTag(root, 'time')).toHaveLength(1);
  });
});

describe('release pages in other languages', () => {
  it('writes Swedish pages with Swedish texts and dates', () => {
    const { root } = parseHtml(renderReleasePage(swedish, TEST_SITE));
    expect(root.attrs.lang).toBe('sv');
    expect(byTag(root, 'time')[0]?.text).toBe('8.4.2020 kl. 13.00');
    expect(readable(byTag(root, 'dl')[0]?.text ?? '')).toContain('Ämne Pressmeddelande');
    expect(byTag(root, 'a', { class: 'skip' })[0]?.text).toBe('Hoppa till innehållet');
  });

  it('writes English dates the English way', () => {
    const english = makeRelease({ lang: 'en', published: new Date('2020-04-09T15:33:00Z') });
    const { root } = parseHtml(renderReleasePage(english, TEST_SITE));
    expect(byTag(root, 'time')[0]?.text).toBe('9 April 2020, 18:33');
  });

  it('sets right-to-left direction, and marks the English site texts as such', () => {
    const { errors, root } = parseHtml(renderReleasePage(arabic, TEST_SITE));
    expect(errors).toEqual([]);
    expect(root.attrs).toMatchObject({ lang: 'ar', dir: 'rtl' });
    const chrome = findAll(root, (element) => element.attrs.lang === 'en');
    expect(chrome.map((element) => element.tag)).toEqual(['a', 'header', 'dl', 'nav', 'footer']);
    expect(chrome.every((element) => element.attrs.dir === 'ltr')).toBe(true);
  });
});

describe('escaping', () => {
  it('escapes every plain-text field and drops XML-illegal characters', () => {
    const release = makeRelease({
      title: '<script>alert(1)</script> & "x"\u0007',
      kicker: '<i>k</i>',
      author: '<b>a</b>',
      summary: '<img src=x onerror=alert(1)>',
      category: '<u>c</u>',
      image: 'https://tiedotteet.example.fi/a.jpg?x="><script>',
    });
    const html = renderReleasePage(release, TEST_SITE);
    const { errors, root } = parseHtml(html);
    expect(errors).toEqual([]);
    // No script: the one script element is JSON-LD data, which browsers never run.
    expect(byTag(root, 'script').map((script) => script.attrs.type)).toEqual([
      'application/ld+json',
    ]);
    expect(byTag(root, 'i')).toEqual([]);
    expect(byTag(root, 'b')).toEqual([]);
    expect(byTag(root, 'u')).toEqual([]);
    expect(byTag(root, 'img')).toHaveLength(1);
    expect(byTag(root, 'h1')[0]?.text).toBe('<script>alert(1)</script> & "x"');
    expect(html).not.toContain('\u0007');
  });
});
