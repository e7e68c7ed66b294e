import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../bench/generate.js';
import { findReleaseFiles, writeSiteFiles } from '../../src/cli/files.js';
import { parseInProcess, parseReleaseFiles } from '../../src/cli/parse-files.js';
import type { SiteFile } from '../../src/site/config.js';

const OPTIONS = {
  siteUrl: 'https://tiedotteet.example.fi',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
};

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-parse-files-'));
  const releases = join(work, 'releases');
  // Enough files for worker threads, with rejected files and raw HTML spread among them.
  for (let index = 0; index < 300; index++) {
    const { path, text } = generateRelease(index, 7);
    await mkdir(join(releases, path, '..'), { recursive: true });
    let body = text;
    if (index % 37 === 0) body = text.replace('date: ', 'date: 31.2.');
    if (index % 41 === 0)
      body = `${body}\n<p onclick="x()">Raaka <b>HTML</b><script>x()</script></p>\n`;
    await writeFile(join(releases, path), body);
  }
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('parseReleaseFiles', () => {
  it('gives every file the result it gets on this thread alone, in input order', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    expect(refs).toHaveLength(300);
    const alone = await parseInProcess(refs, OPTIONS);
    // Worker threads only, so that their results are the ones checked.
    const byWorkers = await parseReleaseFiles(refs, OPTIONS, { threads: 2, parseHere: false });
    expect(byWorkers).toEqual(alone);
    expect(await parseReleaseFiles(refs, OPTIONS, { threads: 3 })).toEqual(alone);
    expect(alone.filter((result) => !result.ok)).toHaveLength(9);
    const withHtml = alone[41];
    expect(withHtml?.ok && withHtml.release.contentHtml).toContain('Raaka <b>HTML</b></p>');
    expect(withHtml?.ok && withHtml.release.contentHtml).not.toMatch(/script|onclick/);
  }, 60_000);

  it('fails with the reading error when a file is gone, also from a worker thread', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    const gone = { displayPath: join(work, 'gone.md'), relativePath: 'gone.md' };
    const failure = parseReleaseFiles([...refs, gone], OPTIONS, { threads: 2, parseHere: false });
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('parses on this thread alone when told to use one thread', async () => {
    const refs = (await findReleaseFiles(join(work, 'releases'))).slice(0, 250);
    const alone = await parseInProcess(refs, OPTIONS);
    expect(await parseReleaseFiles(refs, OPTIONS, { threads: 1 })).toEqual(alone);
  });
});

describe('writeSiteFiles', () => {
  it('writes every file, creating nested folders, and overwrites what is there', async () => {
    const out = join(work, 'out');
    const file = (path: string, body: string): SiteFile => ({
      path,
      body,
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    await writeSiteFiles(out, [file('index.html', 'vanha'), file('feeds/lang/sv/atom.xml', 'x')]);
    await writeSiteFiles(out, [
      file('index.html', 'Etusivu – ä'),
      file('releases/a.html', 'A'),
      file('feeds/lang/sv/atom.xml', '<feed/>'),
    ]);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('Etusivu – ä');
    expect(await readFile(join(out, 'feeds/lang/sv/atom.xml'), 'utf8')).toBe('<feed/>');
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      'feeds',
      'feeds/lang',
      'feeds/lang/sv',
      'feeds/lang/sv/atom.xml',
      'index.html',
      'releases',
      'releases/a.html',
    ]);
  });
});
