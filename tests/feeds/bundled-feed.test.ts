/**
 * The Lambda bundles replace sax with src/shared/sax-stub.ts (serverless.yml `custom.esbuild`):
 * `feed` loads it through xml-js but only ever writes XML. This bundles the feed writer with
 * exactly those options and checks it writes the same Atom and RSS as unbundled, without sax.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { Feed } from 'feed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerlessEsbuildConfig, toEsbuildOptions } from '../../scripts/bundle.js';

const ROOT = join(import.meta.dirname, '..', '..');

let work: string;
let bundled: { Feed: typeof Feed };
let metafile: Metafile;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-feed-'));
  const serverlessYml = await readFile(join(ROOT, 'serverless.yml'), 'utf8');
  const options = toEsbuildOptions(readServerlessEsbuildConfig(serverlessYml));
  const entry = join(work, 'entry.ts');
  await writeFile(entry, `export { Feed } from 'feed';\n`);
  const result = await build({
    ...options,
    entryPoints: [entry],
    outdir: work,
    metafile: true,
    absWorkingDir: ROOT,
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  metafile = result.metafile;
  bundled = await import(pathToFileURL(join(work, 'entry.mjs')).href);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function render(FeedClass: typeof Feed): string[] {
  const feed = new FeedClass({
    title: 'Tiedotteet & <uutiset>',
    id: 'https://tiedotteet.example.fi/',
    link: 'https://tiedotteet.example.fi/',
    copyright: 'Esimerkkilä',
    updated: new Date('2026-05-10T08:00:00Z'),
    feedLinks: { atom: 'https://tiedotteet.example.fi/feeds/atom.xml' },
  });
  feed.addItem({
    title: 'Kirjasto "avautuu" <pian>',
    id: 'urn:uuid:6f1d2c1e-0000-4000-8000-000000000001',
    link: 'https://tiedotteet.example.fi/releases/kirjasto.html',
    date: new Date('2026-05-09T06:30:00Z'),
    content: '<p>Ääkköset &amp; <a href="https://example.fi">linkki</a></p>',
    category: [{ name: 'Kulttuuri', term: 'kulttuuri' }],
  });
  return [feed.atom1(), feed.rss2()];
}

describe('the bundled feed writer', () => {
  it('leaves sax out', () => {
    expect(
      Object.keys(metafile.inputs).filter((input) => /node_modules\/sax\//.test(input)),
    ).toEqual([]);
    expect(Object.keys(metafile.inputs)).toContain('src/shared/sax-stub.ts');
  });

  it('writes the same Atom and RSS as the unbundled one', () => {
    const [atom, rss] = render(bundled.Feed);
    expect(atom).toContain('<entry>');
    expect(rss).toContain('<item>');
    expect([atom, rss]).toEqual(render(Feed));
  });
});
