import { describe, expect, it } from 'vitest';
import { notFoundFile, renderNotFoundPage } from '../../src/pages/not-found-page.js';
import { TEST_SITE } from '../support/releases.js';
import { byTag, only, parseHtml, readable } from './html-check.js';

describe('404 page', () => {
  const { errors, root } = parseHtml(renderNotFoundPage(TEST_SITE));

  it('is a clean document in the default language that search engines skip', () => {
    expect(errors).toEqual([]);
    expect(root.attrs.lang).toBe('fi');
    expect(only(byTag(root, 'h1'), 'h1').text).toBe('Sivua ei löytynyt');
    expect(byTag(root, 'meta', { name: 'robots' })[0]?.attrs.content).toBe('noindex');
  });

  it('says the same in Swedish and English, marked with their language', () => {
    const sections = byTag(root, 'section');
    expect(sections.map((section) => section.attrs.lang)).toEqual([undefined, 'sv', 'en']);
    expect(readable(sections[1]?.text ?? '')).toContain('Sidan hittades inte');
    expect(readable(sections[2]?.text ?? '')).toContain('Page not found');
  });

  it('links only absolute addresses, since it is served at any depth', () => {
    const links = byTag(root, 'a')
      .map((a) => a.attrs.href ?? '')
      .filter((href) => !href.startsWith('#'));
    expect(links.length).toBeGreaterThan(3);
    for (const href of links) expect(href).toMatch(/^https:\/\//);
    expect(links).toContain('https://tiedotteet.example.fi/index.html');
  });

  it('is written as 404.html', () => {
    expect(notFoundFile(TEST_SITE)).toMatchObject({
      path: '404.html',
      contentType: 'text/html; charset=utf-8',
    });
  });

  it('opens in Swedish on a Swedish site', () => {
    const sv = parseHtml(renderNotFoundPage({ ...TEST_SITE, defaultLang: 'sv' })).root;
    expect(sv.attrs.lang).toBe('sv');
    expect(only(byTag(sv, 'h1'), 'h1').text).toBe('Sidan hittades inte');
  });
});
