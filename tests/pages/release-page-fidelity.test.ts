import { describe, expect, it } from 'vitest';
import { renderReleasePage } from '../../src/pages/release-page.js';
import { parseOk } from '../release/support.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';
import { byTag, only, parseHtml } from './html-check.js';

const SEED_SHAPED =
  '\n\n*Tästäkin selvitään.*\n\n## **Blogi: Ovet kiinni, verkko auki**\n\n**Tiedote** \u00a0 **9.4.2020 18:33**\n\nJohtaja kertoo, miten kaikki muuttui.\n\nToinen kappale.\n\n**\\*\\*\\***\n\nKolmas kappale.\n';

describe('a release page shows what staff wrote, once', () => {
  const release = parseOk(SEED_SHAPED, '2020/blogi.md');
  const html = renderReleasePage(release, TEST_SITE);
  const { errors, root } = parseHtml(html);

  it('has the lead paragraph once, in the body, when it stands in for the summary', () => {
    expect(errors).toEqual([]);
    // Once in the article; the other copies are the head's share and search descriptions (meta
    // description, og:description, twitter:description, JSON-LD), which no reader is shown.
    const [head, body] = html.split('</head>');
    expect(body?.match(/Johtaja kertoo, miten kaikki muuttui\./g)).toHaveLength(1);
    expect(head?.match(/Johtaja kertoo, miten kaikki muuttui\./g)).toHaveLength(4);
    expect(byTag(root, 'meta', { name: 'description' })).toHaveLength(1);
    const article = only(byTag(root, 'article'), 'article');
    expect(article.text.match(/Johtaja kertoo/g)).toHaveLength(1);
    expect(byTag(root, 'p', { class: 'summary' })).toEqual([]);
  });

  it('shows the kicker above the title and the scene break as a rule', () => {
    expect(html.indexOf('class="kicker">Tästäkin selvitään.<')).toBeLessThan(html.indexOf('<h1>'));
    expect(byTag(root, 'hr')).toHaveLength(1);
    expect(html).not.toContain('***');
  });

  it('still shows a front-matter summary above the body', () => {
    const page = renderReleasePage(makeRelease({ summary: 'Oma tiivistelmä.' }), TEST_SITE);
    const summary = only(byTag(parseHtml(page).root, 'p', { class: 'summary' }), 'summary');
    expect(summary.text).toBe('Oma tiivistelmä.');
  });
});

describe('the lead image on a page', () => {
  const image = 'https://tiedotteet.example.fi/media/2020/kuva.jpg';

  it('carries image_alt as its alt text', () => {
    const page = renderReleasePage(
      makeRelease({ image, imageAlt: 'Uimahallin allas & "hyppytorni"' }),
      TEST_SITE,
    );
    const img = only(byTag(parseHtml(page).root, 'img'), 'img');
    expect(img.attrs.alt).toBe('Uimahallin allas & "hyppytorni"');
  });

  it('has alt="" on purpose when the release describes no picture', () => {
    const page = renderReleasePage(makeRelease({ image }), TEST_SITE);
    expect(page).toMatch(/<img src="[^"]+" alt="">/);
  });

  it('carries the real width and height of a published file', () => {
    const page = renderReleasePage(
      makeRelease({
        image,
        media: [
          {
            sourcePath: '2020/kuva.jpg',
            publicPath: 'media/2020/kuva.jpg',
            url: image,
            file: {
              kind: 'image',
              contentType: 'image/jpeg',
              length: 1358,
              width: 640,
              height: 480,
            },
          },
        ],
      }),
      TEST_SITE,
    );
    const img = only(byTag(parseHtml(page).root, 'img'), 'img');
    expect(img.attrs).toMatchObject({ src: image, alt: '', width: '640', height: '480' });
  });
});
