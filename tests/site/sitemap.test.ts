import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/site/build.js';
import type { SiteFile } from '../../src/site/config.js';
import { xmllintErrors } from '../support/feed-check.js';
import { awkwardReleases, makeRelease, realisticReleases, TEST_SITE } from '../support/releases.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const NS = '{http://www.sitemaps.org/schemas/sitemap/0.9}';

interface ParsedSitemap {
  root: string;
  entries: { loc: string; lastmod: string | null }[];
}

/** Reads a sitemap with Python's XML parser: the root element and every entry's loc and lastmod. */
function readSitemap(body: string): ParsedSitemap {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
ns = '${NS}'
entries = [{'loc': e.findtext(ns + 'loc'), 'lastmod': e.findtext(ns + 'lastmod')} for e in root]
json.dump({'root': root.tag, 'entries': entries}, sys.stdout)
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input: body, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sitemap did not parse: ${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedSitemap;
}

const embargoed = makeRelease({
  sourcePath: 'tuleva.md',
  title: 'Ei vielä',
  published: new Date('2026-03-01T08:00:00Z'),
});
const releases = [...realisticReleases(), ...awkwardReleases(), embargoed];
const files = new Map<string, SiteFile>(
  buildSite(releases, TEST_SITE, NOW).files.map((file) => [file.path, file]),
);
const sitemaps = [...files.values()].filter((file) => file.path.startsWith('sitemap'));

describe('sitemaps', () => {
  it('are well-formed XML served as application/xml', () => {
    expect(sitemaps.length).toBeGreaterThan(2);
    for (const file of sitemaps) {
      expect(xmllintErrors(String(file.body)), file.path).toBe('');
      expect(file.contentType).toBe('application/xml; charset=utf-8');
    }
  });

  it('index the pages sitemap and one sitemap per archive month, newest first', () => {
    const index = readSitemap(String(files.get('sitemap.xml')?.body));
    expect(index.root).toBe(`${NS}sitemapindex`);
    const years = [...files.keys()]
      .filter((path) => /^archive\/\d{4}\.html$/.test(path))
      .map((path) => Number(path.slice(8, 12)))
      .sort((a, b) => b - a);
    const months = [...files.keys()]
      .filter((path) => /^archive\/\d{4}\/\d{2}\.html$/.test(path))
      .map((path) => path.slice(8, 15).replace('/', '-'))
      .sort()
      .reverse();
    expect(years.length).toBeGreaterThan(1);
    expect(months.length).toBeGreaterThanOrEqual(years.length);
    expect(index.entries.map((entry) => entry.loc)).toEqual([
      `${TEST_SITE.siteUrl}/sitemaps/pages.xml`,
      ...months.map((month) => `${TEST_SITE.siteUrl}/sitemaps/${month}.xml`),
    ]);
    for (const entry of index.entries) {
      expect(files.has(entry.loc.slice(TEST_SITE.siteUrl.length + 1)), entry.loc).toBe(true);
    }
    const pages = readSitemap(String(files.get('sitemaps/pages.xml')?.body));
    expect(pages.root).toBe(`${NS}urlset`);
    expect(pages.entries.map((entry) => entry.loc).sort()).toEqual(
      [
        `${TEST_SITE.siteUrl}/`,
        ...years.map((y) => `${TEST_SITE.siteUrl}/archive/${y}.html`),
        ...months.map((m) => `${TEST_SITE.siteUrl}/archive/${m.replace('-', '/')}.html`),
      ].sort(),
    );
  });

  it('list every public release page once, in its month, with when it last changed', () => {
    const listed = sitemaps
      .filter((file) => /^sitemaps\/\d{4}-\d{2}\.xml$/.test(file.path))
      .flatMap((file) => readSitemap(String(file.body)).entries);
    const pages = [...files.keys()].filter((path) => path.startsWith('releases/'));
    expect(listed.map((entry) => entry.loc).sort()).toEqual(
      pages.map((path) => `${TEST_SITE.siteUrl}/${path}`).sort(),
    );
    expect(listed.some((entry) => entry.loc.endsWith('/tuleva.html'))).toBe(false);
    const edited = releases.find(
      (release) =>
        release.updated !== undefined && release.updated.getTime() > release.published.getTime(),
    );
    expect(edited).toBeDefined();
    expect(listed.find((entry) => entry.loc === edited?.url)?.lastmod).toBe(
      `${edited?.updated?.toISOString().slice(0, 19)}Z`,
    );
    for (const entry of listed) expect(entry.lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
