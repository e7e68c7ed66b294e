import { describe, expect, it } from 'vitest';
import { feedScopes } from '../../src/feeds/scopes.js';
import { renderIndexPage } from '../../src/pages/index-page.js';
import { renderPage } from '../../src/pages/layout.js';
import { contrast, lightPalette, themeFile, themeStyle } from '../../src/pages/theme.js';
import type { SiteConfig } from '../../src/site/config.js';
import { realisticReleases, TEST_SITE } from '../support/releases.js';
import { byTag, only, parseHtml, readable } from './html-check.js';

const BRANDED: SiteConfig = {
  ...TEST_SITE,
  title: 'Esimerkkilän kaupunki',
  branding: {
    name: { fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad', en: 'City of Esimerkkilä' },
    logo: 'media/vaakuna.svg',
    primaryColor: '#ffd700',
    contact: { fi: 'Kirjaamo, PL 1, 00100 Esimerkkilä', sv: 'Registratorskontoret, PB 1' },
    privacyUrl: { fi: 'https://www.example.fi/tietosuoja' },
    accessibilityUrl: {
      fi: 'https://www.example.fi/saavutettavuus',
      sv: 'https://www.example.fi/tillganglighet',
    },
  },
};

function page(site: SiteConfig, lang: string, root = '../') {
  return renderPage({
    site,
    lang,
    title: 'Otsikko',
    canonical: `${site.siteUrl}/releases/a.html`,
    feeds: [],
    root,
    main: '<h1>Otsikko</h1>',
    alternates: [{ lang: 'sv', href: `${site.siteUrl}/releases/a-sv.html` }],
  });
}

describe('page shell with a configured brand', () => {
  const { errors, root } = parseHtml(page(BRANDED, 'fi'));

  it('is a clean HTML5 document without script or anything loaded from elsewhere', () => {
    expect(errors).toEqual([]);
    expect(byTag(root, 'script')).toEqual([]);
    // One stylesheet of the site's own, relative to the page; it loads nothing further.
    expect(byTag(root, 'link', { rel: 'stylesheet' }).map((link) => link.attrs.href)).toEqual([
      '../theme.css',
    ]);
    expect(themeFile(BRANDED).body).not.toMatch(/@import|url\(/);
    // The honeypot and skip link stay hidden without the stylesheet.
    expect(only(byTag(root, 'style'), 'style').text).toContain(
      '.visually-hidden{position:absolute!important;',
    );
    expect(themeFile(BRANDED)).toMatchObject({
      path: 'theme.css',
      contentType: 'text/css; charset=utf-8',
    });
  });

  it('shows the logo and the name in the reader’s language in the header, linking home', () => {
    const header = only(byTag(root, 'header', { class: 'site-header' }), 'header');
    const home = byTag(header, 'a')[0];
    expect(home?.attrs.href).toBe('../index.html');
    expect(readable(home?.text ?? '')).toBe('Esimerkkilän kaupunki');
    expect(byTag(header, 'img')[0]?.attrs).toEqual({
      class: 'logo',
      src: '../media/vaakuna.svg',
      alt: '',
    });
    const sv = parseHtml(page(BRANDED, 'sv')).root;
    expect(readable(byTag(sv, 'p', { class: 'site-name' })[0]?.text ?? '')).toBe('Exempelby stad');
  });

  it('offers the other language version in the header and as hreflang alternates', () => {
    const nav = only(byTag(root, 'nav', { class: 'lang-switch' }), 'language switch');
    expect(nav.attrs['aria-label']).toBe('Muilla kielillä');
    expect(byTag(nav, 'a').map((a) => [a.attrs.href, a.attrs.lang, a.text])).toEqual([
      ['https://tiedotteet.example.fi/releases/a-sv.html', 'sv', 'På svenska'],
    ]);
    expect(
      byTag(root, 'link', { rel: 'alternate' })
        .filter((link) => link.attrs.hreflang !== undefined)
        .map((link) => [link.attrs.hreflang, link.attrs.href]),
    ).toEqual([
      ['fi', 'https://tiedotteet.example.fi/releases/a.html'],
      ['sv', 'https://tiedotteet.example.fi/releases/a-sv.html'],
    ]);
  });

  it('has a footer with the contact line, privacy and accessibility links and the feeds', () => {
    const footer = only(byTag(root, 'footer'), 'footer');
    expect(readable(footer.text)).toContain('Kirjaamo, PL 1, 00100 Esimerkkilä');
    expect(byTag(footer, 'a').map((a) => [a.text, a.attrs.href])).toEqual([
      ['Tietosuoja', 'https://www.example.fi/tietosuoja'],
      ['Saavutettavuusseloste', 'https://www.example.fi/saavutettavuus'],
      ['Atom', 'https://tiedotteet.example.fi/feeds/atom.xml'],
      ['RSS', 'https://tiedotteet.example.fi/feeds/rss.xml'],
      ['JSON Feed', 'https://tiedotteet.example.fi/feeds/feed.json'],
    ]);
    // Swedish readers get Swedish links where there are any, else the default language's.
    const sv = only(byTag(parseHtml(page(BRANDED, 'sv')).root, 'footer'), 'footer');
    expect(
      byTag(sv, 'a')
        .slice(0, 2)
        .map((a) => [a.text, a.attrs.href]),
    ).toEqual([
      ['Dataskydd', 'https://www.example.fi/tietosuoja'],
      ['Tillgänglighetsutlåtande', 'https://www.example.fi/tillganglighet'],
    ]);
  });

  it('shows the organisation name as the front page heading and links the privacy notice from the form', () => {
    const releases = realisticReleases(BRANDED);
    const index = parseHtml(renderIndexPage(releases, BRANDED, feedScopes(releases), [2020])).root;
    expect(only(byTag(index, 'h1'), 'h1').text).toBe('Esimerkkilän kaupunki');
    const form = only(byTag(index, 'form'), 'form');
    expect(byTag(form, 'a').map((a) => [a.text, a.attrs.href])).toEqual([
      ['Näin käsittelemme tietojasi (tietosuojaseloste)', 'https://www.example.fi/tietosuoja'],
    ]);
    const plain = parseHtml(
      renderIndexPage(releases, TEST_SITE, feedScopes(releases), [2020]),
    ).root;
    expect(byTag(only(byTag(plain, 'form'), 'form'), 'a')).toEqual([]);
  });
});

describe('theme', () => {
  it('keeps header text readable on any brand colour (WCAG AA, 4.5:1)', () => {
    for (const color of [
      '#ffd700',
      '#00426e',
      '#e30613',
      '#ffffff',
      '#000000',
      '#7fbf7f',
      '#3d8b37',
    ]) {
      const palette = lightPalette(color);
      expect(contrast(palette.headerText, palette.headerBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(palette.link, palette.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(palette.link, palette.panel)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('uses the brand colour for links only when it reads on white', () => {
    expect(lightPalette('#00426e').link).toBe('#00426e');
    expect(lightPalette('#ffd700').link).not.toBe('#ffd700');
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('has a dark scheme and a print style', () => {
    const style = themeStyle('#00426e');
    expect(style).toContain('@media (prefers-color-scheme:dark)');
    expect(style).toContain('@media print');
  });
});
