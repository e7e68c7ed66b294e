import { describe, expect, it } from 'vitest';
import { ALL_SCOPE } from '../../src/feeds/scopes.js';
import { renderIndexPage } from '../../src/pages/index-page.js';
import { renderReleasePage } from '../../src/pages/release-page.js';
import { faviconFile, ogLocale } from '../../src/pages/share-meta.js';
import type { SiteConfig } from '../../src/site/config.js';
import { feedFiles } from '../../src/site/files.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';
import { byTag, type HtmlElement, parseHtml } from './html-check.js';

const SITE: SiteConfig = {
  ...TEST_SITE,
  branding: {
    name: { fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad' },
    primaryColor: '#00426e',
    logo: 'media/logo.png',
  },
};

function metaOf(root: HtmlElement): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const meta of byTag(root, 'meta')) {
    const key = meta.attrs.property ?? meta.attrs.name;
    if (key === undefined) continue;
    found[key] = [...(found[key] ?? []), meta.attrs.content ?? ''];
  }
  return found;
}

describe('share and search metadata of a release page', () => {
  const release = makeRelease({
    lang: 'sv',
    title: 'Simhallen <öppnar> & bastun',
    summary: 'Simhallen öppnar på måndag </script><script>alert(1)</script>.',
    author: 'Idrottstjänster',
    image: 'https://tiedotteet.example.fi/media/simhall.jpg',
    imageAlt: 'Den tomma bassängen',
    updated: new Date('2020-04-10T08:00:00Z'),
  });
  const html = renderReleasePage(release, SITE);
  const { errors, root } = parseHtml(html);
  const meta = metaOf(root);

  it('has Open Graph tags with the locale, site name and the image with its alt text', () => {
    expect(errors).toEqual([]);
    expect(meta['og:type']).toEqual(['article']);
    expect(meta['og:title']).toEqual([release.title]);
    expect(meta['og:description']).toEqual([release.summary]);
    expect(meta['og:url']).toEqual([release.url]);
    expect(meta['og:site_name']).toEqual(['Exempelby stad']);
    expect(meta['og:locale']).toEqual(['sv_FI']);
    expect(meta['og:image']).toEqual([release.image]);
    expect(meta['og:image:alt']).toEqual(['Den tomma bassängen']);
    expect(meta['article:published_time']).toEqual(['2020-04-09T15:33:00Z']);
    expect(meta['article:modified_time']).toEqual(['2020-04-10T08:00:00Z']);
  });

  it('has a large-image Twitter card', () => {
    expect(meta['twitter:card']).toEqual(['summary_large_image']);
    expect(meta['twitter:title']).toEqual([release.title]);
    expect(meta['twitter:image:alt']).toEqual(['Den tomma bassängen']);
  });

  it('describes the release as a NewsArticle published by a GovernmentOrganization', () => {
    const scripts = byTag(root, 'script');
    expect(scripts.map((script) => script.attrs.type)).toEqual(['application/ld+json']);
    // Nothing in the release can close the element: one script element, text escaped.
    expect(html).not.toContain('</script><script>');
    const data = JSON.parse(scripts[0]?.text ?? '{}');
    expect(data).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: release.title,
      description: release.summary,
      inLanguage: 'sv',
      url: release.url,
      mainEntityOfPage: release.url,
      datePublished: '2020-04-09T15:33:00Z',
      dateModified: '2020-04-10T08:00:00Z',
      image: [release.image],
      articleSection: 'Tiedote',
      author: { '@type': 'Person', name: 'Idrottstjänster' },
      publisher: {
        '@type': 'GovernmentOrganization',
        name: 'Exempelby stad',
        url: 'https://tiedotteet.example.fi/',
        logo: { '@type': 'ImageObject', url: 'https://tiedotteet.example.fi/media/logo.png' },
      },
    });
  });

  it('links a favicon drawn from the brand colour and the name', () => {
    expect(byTag(root, 'link', { rel: 'icon' })[0]?.attrs).toMatchObject({
      href: '../favicon.svg',
      type: 'image/svg+xml',
    });
    const icon = faviconFile(SITE);
    expect(icon).toMatchObject({ path: 'favicon.svg', contentType: 'image/svg+xml' });
    expect(icon.body).toContain('fill="#00426e"');
    expect(icon.body).toContain('>E</text>');
    expect(xmllintErrors(icon.body)).toBe('');
  });

  it('uses a summary card without an image', () => {
    const plain = metaOf(parseHtml(renderReleasePage(makeRelease(), SITE)).root);
    expect(plain['twitter:card']).toEqual(['summary']);
    expect(plain['og:image']).toBeUndefined();
    expect(plain['og:locale']).toEqual(['fi_FI']);
  });
});

describe('front page metadata', () => {
  it('describes the site as a website in its default language', () => {
    const meta = metaOf(parseHtml(renderIndexPage([makeRelease()], SITE, [], [2020])).root);
    expect(meta['og:type']).toEqual(['website']);
    expect(meta['og:title']).toEqual(['Esimerkkilän kaupunki']);
    expect(meta['og:url']).toEqual(['https://tiedotteet.example.fi/']);
  });

  it('writes locales the Open Graph way', () => {
    expect(['fi', 'sv', 'en', 'ar', 'sv-SE'].map(ogLocale)).toEqual([
      'fi_FI',
      'sv_FI',
      'en_GB',
      'ar',
      'sv_SE',
    ]);
  });
});

describe('feed logo', () => {
  it('names the organisation’s logo in Atom (logo) and JSON Feed (icon), and nothing without one', () => {
    const [atom, , json] = feedFiles(ALL_SCOPE, [makeRelease()], SITE).map((file) => file.body);
    expect(xmllintErrors(atom ?? '')).toBe('');
    expect(parseFeed(atom ?? '').bozo).toBe(false);
    expect(atom).toContain('<logo>https://tiedotteet.example.fi/media/logo.png</logo>');
    expect(jsonFeedProblems(json ?? '')).toEqual([]);
    expect(JSON.parse(json ?? '{}').icon).toBe('https://tiedotteet.example.fi/media/logo.png');
    const [plainAtom, , plainJson] = feedFiles(ALL_SCOPE, [makeRelease()], TEST_SITE).map(
      (file) => file.body,
    );
    expect(plainAtom).not.toContain('<logo>');
    expect(JSON.parse(plainJson ?? '{}').icon).toBeUndefined();
  });
});
