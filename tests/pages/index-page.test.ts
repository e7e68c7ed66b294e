import { describe, expect, it } from 'vitest';
import { feedScopes } from '../../src/feeds/scopes.js';
import { INDEX_LIMIT, renderIndexPage } from '../../src/pages/index-page.js';
import type { Release } from '../../src/release/types.js';
import { newestFirst } from '../../src/site/order.js';
import { makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';
import { byTag, findAll, type HtmlElement, only, parseHtml, readable } from './html-check.js';

const releases = realisticReleases();
const scopes = feedScopes(releases);
const html = renderIndexPage(releases, TEST_SITE, scopes, [2019, 2020]);
const { errors, root } = parseHtml(html);
const form = only(byTag(root, 'form'), 'form');

function labelFor(id: string): string {
  return readable(only(byTag(root, 'label', { for: id }), `label for ${id}`).text);
}

describe('front page', () => {
  it('is a clean HTML5 document in the default language with one h1', () => {
    expect(errors).toEqual([]);
    expect(root.attrs.lang).toBe('fi');
    expect(only(byTag(root, 'h1'), 'h1').text).toBe('Esimerkkilä');
    expect(byTag(root, 'link', { rel: 'canonical' })[0]?.attrs.href).toBe(
      'https://tiedotteet.example.fi/',
    );
    expect(byTag(root, 'link', { rel: 'alternate' }).map((link) => link.attrs.href)).toEqual([
      'https://tiedotteet.example.fi/feeds/atom.xml',
      'https://tiedotteet.example.fi/feeds/rss.xml',
      'https://tiedotteet.example.fi/feeds/feed.json',
    ]);
    expect(byTag(root, 'script')).toEqual([]);
  });

  it('lists the latest releases newest first with date, category, title link and summary', () => {
    const list = only(byTag(root, 'ol', { class: 'releases' }), 'release list');
    const items = byTag(list, 'li');
    const expected = newestFirst(releases);
    expect(items.map((item) => byTag(item, 'a')[0]?.attrs.href)).toEqual(
      expected.map((release) => `releases/${release.slug}.html`),
    );
    const first = items[0] as HtmlElement;
    expect(byTag(first, 'h3')[0]?.text).toBe(expected[0]?.title);
    expect(byTag(first, 'time')[0]?.text).toBe('9.4.2020 klo 18.33');
    expect(readable(first.text)).toContain('· Tiedote');
    expect(readable(first.text)).toContain(expected[0]?.summary);
    const swedish = items.find((item) => item.text.includes('Simhallen')) as HtmlElement;
    expect(byTag(swedish, 'h3')[0]?.attrs.lang).toBe('sv');
    const arabic = items.find((item) => item.text.includes('المكتبة')) as HtmlElement;
    expect(byTag(arabic, 'h3')[0]?.attrs).toMatchObject({ lang: 'ar', dir: 'rtl' });
  });

  it(`shows at most ${INDEX_LIMIT} releases`, () => {
    const many: Release[] = Array.from({ length: INDEX_LIMIT + 5 }, (_, i) =>
      makeRelease({ sourcePath: `r/${i}.md`, published: new Date(Date.UTC(2021, 0, 1, i)) }),
    );
    const page = parseHtml(renderIndexPage(many, TEST_SITE, feedScopes(many), [2021])).root;
    const links = byTag(page, 'ol')[0]?.children ?? [];
    expect(links).toHaveLength(INDEX_LIMIT);
    expect(byTag(links[0] as HtmlElement, 'a')[0]?.attrs.href).toBe('releases/r-54.html');
  });

  it('links the feeds of every category and language, and every archive year', () => {
    const hrefs = byTag(root, 'a').map((a) => a.attrs.href);
    for (const scope of scopes) {
      for (const file of ['atom.xml', 'rss.xml', 'feed.json']) {
        expect(hrefs).toContain(`https://tiedotteet.example.fi/${scope.folder}${file}`);
      }
    }
    const feeds = readable(byTag(root, 'section', { 'aria-labelledby': 'feeds' })[0]?.text ?? '');
    expect(feeds).toContain('Tiedote: Atom · RSS · JSON Feed');
    expect(feeds).toContain('svenska: Atom');
    const archive = byTag(root, 'section', { 'aria-labelledby': 'archive' })[0] as HtmlElement;
    expect(byTag(archive, 'a').map((a) => [a.attrs.href, a.text])).toEqual([
      ['archive/2020.html', '2020'],
      ['archive/2019.html', '2019'],
    ]);
  });
});

describe('subscribe form', () => {
  it('posts to /api/subscribe without JavaScript', () => {
    expect(form.attrs).toEqual({ method: 'post', action: '/api/subscribe' });
    expect(byTag(form, 'button')[0]?.attrs.type).toBe('submit');
    expect(readable(byTag(form, 'button')[0]?.text ?? '')).toBe('Tilaa');
  });

  it('asks for a required, labelled email address', () => {
    const email = only(byTag(form, 'input', { name: 'email' }), 'email input');
    expect(email.attrs).toMatchObject({ type: 'email', required: '', id: 'subscribe-email' });
    expect(labelFor('subscribe-email')).toBe('Sähköpostiosoite');
  });

  it('offers fi, sv and en with the page language selected', () => {
    const select = only(byTag(form, 'select', { name: 'lang' }), 'lang select');
    expect(labelFor(select.attrs.id ?? '')).toBe('Kieli');
    const options = byTag(select, 'option');
    expect(options.map((option) => [option.attrs.value, option.text])).toEqual([
      ['fi', 'suomi'],
      ['sv', 'svenska'],
      ['en', 'English'],
    ]);
    expect(
      options.filter((option) => 'selected' in option.attrs).map((o) => o.attrs.value),
    ).toEqual(['fi']);
  });

  it('has one unchecked checkbox per category slug, in a labelled group', () => {
    const boxes = byTag(form, 'input', { name: 'categories' });
    expect(boxes.map((box) => [box.attrs.type, box.attrs.value])).toEqual([
      ['checkbox', 'news'],
      ['checkbox', 'paatos'],
      ['checkbox', 'tiedote'],
    ]);
    expect(boxes.some((box) => 'checked' in box.attrs)).toBe(false);
    const group = findAll(
      form,
      (e) => e.tag === 'fieldset' && byTag(e, 'input', { name: 'categories' }).length > 0,
    )[0];
    expect(readable(byTag(group as HtmlElement, 'legend')[0]?.text ?? '')).toBe('Aiheet');
    expect(readable(group?.text ?? '')).toContain('Jos et valitse yhtään, saat kaikki.');
    const labels = byTag(group as HtmlElement, 'label').map((label) => readable(label.text));
    expect(labels).toEqual(['News', 'Päätös', 'Tiedote']);
  });

  it('offers immediate, daily and weekly with daily chosen', () => {
    const radios = byTag(form, 'input', { name: 'frequency' });
    expect(radios.map((radio) => [radio.attrs.type, radio.attrs.value])).toEqual([
      ['radio', 'immediate'],
      ['radio', 'daily'],
      ['radio', 'weekly'],
    ]);
    expect(radios.filter((radio) => 'checked' in radio.attrs).map((r) => r.attrs.value)).toEqual([
      'daily',
    ]);
  });

  it('hides the honeypot from people, keyboards, screen readers and autofill', () => {
    const honeypot = only(byTag(form, 'input', { name: 'website' }), 'honeypot');
    expect(honeypot.attrs).toMatchObject({ type: 'text', tabindex: '-1', autocomplete: 'off' });
    const wrapper = findAll(form, (e) => e.children.includes(honeypot))[0];
    expect(wrapper?.attrs).toMatchObject({ class: 'visually-hidden', 'aria-hidden': 'true' });
    // Inline, so it holds even when theme.css does not load.
    expect(only(byTag(root, 'style'), 'style').text).toMatch(
      /\.visually-hidden\{position:absolute!important;width:1px;height:1px;/,
    );
  });

  it('speaks the default language of the site', () => {
    const site = { ...TEST_SITE, defaultLang: 'sv' };
    const page = parseHtml(renderIndexPage(releases, site, scopes, [2020])).root;
    expect(page.attrs.lang).toBe('sv');
    const select = only(byTag(page, 'select', { name: 'lang' }), 'lang select');
    expect(byTag(select, 'option', { value: 'sv' })[0]?.attrs).toHaveProperty('selected');
    expect(readable(byTag(page, 'button')[0]?.text ?? '')).toBe('Prenumerera');
    expect(byTag(page, 'h2').map((h2) => h2.text)).toContain('Senaste pressmeddelanden');
  });

  it('leaves the category group out when there are no categories yet', () => {
    const page = parseHtml(renderIndexPage([], TEST_SITE, feedScopes([]), [])).root;
    expect(byTag(page, 'input', { name: 'categories' })).toEqual([]);
    expect(readable(page.text)).toContain('Tiedotteita ei vielä ole.');
    expect(byTag(page, 'input', { name: 'email' })).toHaveLength(1);
  });
});
