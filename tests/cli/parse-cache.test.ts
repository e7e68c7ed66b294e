import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../bench/generate.js';
import { type BuildOutcome, runBuild } from '../../src/cli/build.js';
import {
  CacheReader,
  cacheRecord,
  codeFiles,
  ParseCache,
  parserIdentity,
} from '../../src/cli/parse-cache.js';
import type { ParseResult } from '../../src/release/types.js';
import { CLI_BUNDLE, ROOT } from '../support/cli.js';
import { releaseOf2024 } from '../support/releases.js';
import { readTree } from '../support/tree.js';

const SITE = 'https://tiedotteet.example.fi';
const NOW = '2026-01-01T00:00:00Z';

let work: string;
let releases: string;
/** The build without a cache: the files every cached build must write. */
let expected: Map<string, string>;
/** A good pack of all 260 files, as the first cached build wrote it (name, bytes). */
let goodPack: { name: string; bytes: Buffer };
let plain: BuildOutcome;
let first: BuildOutcome;

/** `newsroom build` in this process with the parse cache in `cache` (`off`: none). */
async function build(
  out: string,
  cache: string,
  { threads = 1, from = releases } = {},
): Promise<BuildOutcome & { stderr: string[] }> {
  const stderr: string[] = [];
  const before = process.env.NEWSROOM_BUILD_CACHE;
  process.env.NEWSROOM_BUILD_CACHE = cache;
  try {
    const args = ['--releases', from, '--out', out, '--site-url', SITE, '--now', NOW];
    const outcome = await runBuild(
      args,
      { stdout: () => {}, stderr: (line) => stderr.push(line) },
      () => new Date(NOW),
      { threads },
    );
    return { ...outcome, stderr };
  } finally {
    if (before === undefined) delete process.env.NEWSROOM_BUILD_CACHE;
    else process.env.NEWSROOM_BUILD_CACHE = before;
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-parse-cache-'));
  releases = join(work, 'releases');
  // Enough files for a worker thread, with a rejected file among them; one year of dates, as
  // archive pages are not this file's subject.
  for (let index = 0; index < 260; index++) {
    const { path, text } = releaseOf2024(index, 5);
    await mkdir(join(releases, path, '..'), { recursive: true });
    await writeFile(
      join(releases, path),
      index === 13 ? text.replace('date: ', 'date: 31.2.') : text,
    );
  }
  // One uncached build and one first cached build, shared by the tests below instead of each
  // building its own (a 260-file build is most of this file's cost).
  plain = await build(join(work, 'plain'), 'off');
  expected = await readTree(join(work, 'plain'));
  const cache = join(work, 'cache-same');
  first = await build(join(work, 'first'), cache);
  const [name] = await readdir(cache);
  goodPack = { name: name as string, bytes: await readFile(join(cache, name as string)) };
}, 120_000);

/** A cache folder holding the first build's good pack; resolves to the pack's path. */
async function cacheWithGoodPack(cache: string): Promise<string> {
  await mkdir(cache, { recursive: true });
  const path = join(cache, goodPack.name);
  await writeFile(path, goodPack.bytes);
  return path;
}

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the parse cache', () => {
  it('gives a second build the same files without parsing a file again, also on threads', async () => {
    expect(plain.fromCache).toBe(0);
    expect(first.fromCache).toBe(0);
    const second = await build(join(work, 'second'), join(work, 'cache-same'), { threads: 2 });
    expect(second.fromCache).toBe(260);
    expect({ ...second, fromCache: 0 }).toEqual({ ...plain, fromCache: 0 });
    expect(second.stderr.filter((line) => line.includes('release-00013.md'))).toHaveLength(1);
    expect(await readTree(join(work, 'first'))).toEqual(expected);
    expect(await readTree(join(work, 'second'))).toEqual(expected);
  }, 120_000);

  it('parses an edited file again, and only that one', async () => {
    const cache = join(work, 'cache-edit');
    const from = join(work, 'edited');
    await rm(from, { recursive: true, force: true });
    await mkdir(from);
    const { path, text } = generateRelease(1, 5);
    await mkdir(join(from, path, '..'), { recursive: true });
    await writeFile(join(from, path), text);
    const other = generateRelease(2, 5);
    await mkdir(join(from, other.path, '..'), { recursive: true });
    await writeFile(join(from, other.path), other.text);
    await build(join(work, 'edit-1'), cache, { from });
    await writeFile(join(from, path), text.replace(/^title: .*$/m, 'title: Uimahalli avautuu'));
    const edited = await build(join(work, 'edit-2'), cache, { from });
    expect(edited.fromCache).toBe(1);
    const pages = [...(await readTree(join(work, 'edit-2'))).values()];
    expect(pages.filter((page) => page.includes('<h1>Uimahalli avautuu</h1>'))).toHaveLength(1);
    // The file edited back to what it was is found again: keys are the bytes, not the path.
    await writeFile(join(from, path), text);
    expect((await build(join(work, 'edit-3'), cache, { from })).fromCache).toBe(1);
  }, 60_000);

  it('keeps results of other code, another Node version or other options apart', () => {
    const options = { siteUrl: SITE, defaultLang: 'fi', timeZone: 'Europe/Helsinki' };
    expect(parserIdentity(options)).toBe(parserIdentity({ ...options }));
    expect(parserIdentity({ ...options, timeZone: 'Europe/Stockholm' })).not.toBe(
      parserIdentity(options),
    );
    const files = codeFiles().map((file) => file.slice(ROOT.length + 1));
    expect(files).toContain(join('src', 'release', 'sanitize.ts'));
    expect(files).toContain(join('src', 'release', 'tidy-html.ts'));
    expect(files).toContain(join('src', 'release', 'markdown.ts'));
    expect(files).toContain('package-lock.json');
  });

  it('ignores a damaged pack and writes a good one in its place', async () => {
    const cache = join(work, 'cache-damaged');
    const pack = await cacheWithGoodPack(cache);
    expect(goodPack.name).toMatch(/^parse-[0-9a-f]+\.pack$/);
    await truncate(pack, 1000);
    const afterDamage = await build(join(work, 'damaged-2'), cache);
    expect(afterDamage.fromCache).toBe(0);
    expect(await readTree(join(work, 'damaged-2'))).toEqual(expected);
    expect((await build(join(work, 'damaged-3'), cache)).fromCache).toBe(260);
    // Garbage of the right length with the trailer's magic word: still a miss, never an error.
    const bytes = await readFile(pack);
    bytes.fill(7, 0, bytes.length - 16);
    await writeFile(pack, bytes);
    const garbage = await build(join(work, 'damaged-4'), cache);
    expect(garbage.fromCache).toBe(0);
    expect(garbage.accepted).toBe(259);
  }, 120_000);

  it('keeps the last good pack when a build writing a new one is killed', async () => {
    const cache = join(work, 'cache-killed');
    const pack = await cacheWithGoodPack(cache);
    // Another site (so another pack, every file parsed anew), killed while it writes that pack.
    const child = spawn(
      process.execPath,
      [
        ...[CLI_BUNDLE, 'build', '--releases', releases],
        ...['--out', join(work, 'killed-2'), '--site-url', 'https://news.example.org'],
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NEWSROOM_BUILD_CACHE: cache, NEWSROOM_BUILD_THREADS: '1' },
      },
    );
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    while (!(await readdir(cache)).some((name) => name.endsWith('.tmp'))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await readdir(cache)).toHaveLength(2);
    expect(await readFile(pack)).toEqual(goodPack.bytes);
    const next = await build(join(work, 'killed-3'), cache);
    expect(next.fromCache).toBe(260);
    // The next build clears the killed build's unfinished pack away.
    expect(await readdir(cache)).toEqual([goodPack.name]);
  }, 120_000);

  it('reads the pack it looked up even when another build puts a new one in its place', async () => {
    const folder = join(work, 'cache-concurrent');
    const options = { siteUrl: SITE, defaultLang: 'fi', timeZone: 'Europe/Helsinki' };
    const result = (message: string): ParseResult => ({
      ok: false,
      problem: { path: 'a.md', message },
    });
    const first = await ParseCache.open(folder, options);
    first?.add([cacheRecord('a', result('first'))]);
    first?.commit();
    const reading = await ParseCache.open(folder, options);
    expect(reading?.lookup?.index.has('a')).toBe(true);
    // Another build of other files finishes meanwhile: its pack has another result where 'a' was.
    const other = await ParseCache.open(folder, options);
    other?.add([cacheRecord('b', result('other')), cacheRecord('a', result('changed'))]);
    other?.commit();
    const lookup = reading?.lookup;
    if (lookup === undefined) throw new Error('no lookup');
    expect(new CacheReader(lookup).get('a')).toEqual(result('first'));
    reading?.discard();
    const after = await ParseCache.open(folder, options);
    expect(after?.lookup && new CacheReader(after.lookup).get('a')).toEqual(result('changed'));
    after?.discard();
  });
});
