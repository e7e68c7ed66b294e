import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const SITE = 'https://tiedotteet.example.fi';
const RELEASE =
  '---\ntitle: Uimahalli avautuu\ntype: Tiedote\ndate: 2021-04-01T09:00:00+03:00\n---\n\nTeksti.\n';

let work: string;
let releases: string;
let out: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-site-config-'));
  releases = join(work, 'in');
  out = join(work, 'out');
  await mkdir(releases);
  await writeFile(join(releases, 'uimahalli.md'), RELEASE);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const build = (...extra: string[]) =>
  runCli(['build', '--releases', releases, '--out', out, '--site-url', SITE, ...extra]);

describe('newsroom build with branding', () => {
  it('reads site.json from the releases folder', async () => {
    await writeFile(
      join(releases, 'site.json'),
      JSON.stringify({ name: { fi: 'Esimerkkilän kaupunki' }, primaryColor: '#7a1f5c' }),
    );
    const run = await build();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<h1>Esimerkkilän kaupunki</h1>');
    expect(await readFile(join(out, 'theme.css'), 'utf8')).toContain('--head-bg:#7a1f5c');
    const notFound = await readFile(join(out, '404.html'), 'utf8');
    expect(notFound).toContain('Esimerkkilän kaupunki');
  });

  it('takes --site-config FILE over the folder’s site.json', async () => {
    await writeFile(join(releases, 'site.json'), JSON.stringify({ name: 'Väärä' }));
    const file = join(work, 'brand.json');
    await writeFile(file, JSON.stringify({ name: { fi: 'Oikea kaupunki' } }));
    expect((await build('--site-config', file)).code).toBe(0);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<h1>Oikea kaupunki</h1>');
    expect(index).not.toContain('Väärä');
  });

  it('exits 2 naming the field when site.json is unusable, and with a missing file', async () => {
    await writeFile(join(releases, 'site.json'), '{"primaryColor":"punainen"}');
    const bad = await build();
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"primaryColor" must be a colour');
    const missing = await build('--site-config', join(work, 'ei-ole.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--site-config: cannot read');
  });
});
