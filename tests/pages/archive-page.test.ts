import { describe, expect, it } from 'vitest';
import { renderArchivePage, renderMonthArchivePage } from '../../src/pages/archive-page.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';
import { byTag, only, parseHtml } from './html-check.js';

const newYearsEve = makeRelease({
  sourcePath: 'a/uusivuosi.md',
  title: 'Ilotulitus',
  // 31.12.2020 22.30 UTC is already 2021 in Helsinki.
  published: new Date('2020-12-31T22:30:00Z'),
});
const december = makeRelease({
  sourcePath: 'a/joulu.md',
  title: 'Joulutori',
  published: new Date('2020-12-20T10:00:00Z'),
});
const spring = makeRelease({
  sourcePath: 'a/kevat.md',
  title: 'Kevät',
  published: new Date('2020-03-01T10:00:00Z'),
});

describe('archive pages', () => {
  it("lists a month's releases (local time) newest first", () => {
    const html = renderMonthArchivePage('2020-12', [spring, newYearsEve, december], TEST_SITE);
    const { errors, root } = parseHtml(html);
    expect(errors).toEqual([]);
    expect(root.attrs.lang).toBe('fi');
    expect(only(byTag(root, 'h1'), 'h1').text).toBe('Joulukuu 2020');
    expect(byTag(root, 'h2').map((h2) => h2.text)).toEqual(['Joulutori']);
    expect(byTag(root, 'link', { rel: 'canonical' })[0]?.attrs.href).toBe(
      'https://tiedotteet.example.fi/archive/2020/12.html',
    );
    const links = byTag(root, 'a').map((a) => a.attrs.href);
    expect(links).toContain('../../releases/a-joulu.html');
    expect(links).toContain('../2020.html');
  });

  it('puts a release on the archive page of its local month', () => {
    const { root } = parseHtml(
      renderMonthArchivePage('2021-01', [newYearsEve, december], TEST_SITE),
    );
    expect(byTag(root, 'h2').map((h2) => h2.text)).toEqual(['Ilotulitus']);
    expect(byTag(root, 'time')[0]?.text).toBe('1.1.2021 klo 0.30');
  });

  it("links a year's months newest first at the year's old address", () => {
    const html = renderArchivePage(2020, ['2020-03', '2021-01', '2020-12', '2020-03'], TEST_SITE);
    const { errors, root } = parseHtml(html);
    expect(errors).toEqual([]);
    expect(only(byTag(root, 'h1'), 'h1').text).toBe('Tiedotteet vuodelta 2020');
    expect(byTag(root, 'link', { rel: 'canonical' })[0]?.attrs.href).toBe(
      'https://tiedotteet.example.fi/archive/2020.html',
    );
    const months = byTag(root, 'a').filter((a) => /^\d{4}\/\d{2}\.html$/.test(a.attrs.href ?? ''));
    expect(months.map((a) => [a.attrs.href, a.text])).toEqual([
      ['2020/12.html', 'Joulukuu 2020'],
      ['2020/03.html', 'Maaliskuu 2020'],
    ]);
  });
});
