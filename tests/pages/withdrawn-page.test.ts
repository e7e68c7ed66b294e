import { describe, expect, it } from 'vitest';
import { renderWithdrawnPage, withdrawnPageFile } from '../../src/pages/withdrawn-page.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';
import { byTag, only, parseHtml, readable } from './html-check.js';

const WITHDRAWN_AT = new Date('2024-05-03T09:15:00Z');

describe('withdrawn page', () => {
  const release = makeRelease({ title: 'Uimahalli & sauna avautuvat <pian>' });
  const html = renderWithdrawnPage(release, WITHDRAWN_AT, TEST_SITE);
  const { errors, root } = parseHtml(html);

  it('says in the release’s language that it was withdrawn, with title and dates', () => {
    expect(errors).toEqual([]);
    expect(root.attrs.lang).toBe('fi');
    expect(only(byTag(root, 'h1'), 'h1').text).toBe('Tämä tiedote on poistettu');
    const text = readable(only(byTag(root, 'main'), 'main').text);
    expect(text).toContain(
      'Tiedote ”Uimahalli & sauna avautuvat <pian>” on poistettu 3.5.2024 klo 12.15.',
    );
    expect(text).toContain('Julkaistu alun perin: 9.4.2020 klo 18.33');
    expect(html).toContain('&lt;pian&gt;');
  });

  it('links the front page, keeps its address and tells search engines to drop it', () => {
    expect(byTag(root, 'a').map((a) => a.attrs.href)).toContain('../index.html');
    expect(byTag(root, 'link', { rel: 'canonical' })[0]?.attrs.href).toBe(release.url);
    expect(byTag(root, 'meta', { name: 'robots' })[0]?.attrs.content).toBe('noindex');
    expect(withdrawnPageFile(release, WITHDRAWN_AT, TEST_SITE).path).toBe(
      `releases/${release.slug}.html`,
    );
  });

  it('is in Swedish for a Swedish release, and in English (so marked) for another language', () => {
    const sv = parseHtml(
      renderWithdrawnPage(
        makeRelease({ lang: 'sv', title: 'Simhallen öppnar' }),
        WITHDRAWN_AT,
        TEST_SITE,
      ),
    ).root;
    expect(sv.attrs.lang).toBe('sv');
    expect(readable(only(byTag(sv, 'main'), 'main').text)).toContain(
      'Pressmeddelandet ”Simhallen öppnar” togs bort 3.5.2024 kl. 12.15.',
    );
    const ar = parseHtml(
      renderWithdrawnPage(makeRelease({ lang: 'ar', title: 'المكتبة' }), WITHDRAWN_AT, TEST_SITE),
    ).root;
    expect(ar.attrs).toMatchObject({ lang: 'ar', dir: 'rtl' });
    const notice = only(byTag(ar, 'div', { class: 'notice' }), 'notice');
    expect(notice.attrs).toMatchObject({ lang: 'en', dir: 'ltr' });
    expect(byTag(notice, 'span')[0]?.attrs).toMatchObject({ lang: 'ar', dir: 'rtl' });
  });
});
