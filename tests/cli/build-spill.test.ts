import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRelease } from '../../bench/generate.js';
import { runBuild } from '../../src/cli/build.js';
import {
  ReleaseSpill,
  type ReleaseStub,
  readRelease,
  spillRelease,
} from '../../src/cli/build-spill.js';
import type { ThreadOptions } from '../../src/cli/build-threads.js';
import { parseInProcess } from '../../src/cli/parse-files.js';
import { siteConfigFromEnv } from '../../src/cli/site-options.js';
import { parseRelease } from '../../src/release/parse.js';
import type { ParseResult, Release } from '../../src/release/types.js';
import { findReleaseFiles } from '../../src/shared/release-files.js';
import { buildSite } from '../../src/site/build.js';
import { CLI_BUNDLE, ROOT } from '../support/cli.js';

const SITE_URL = 'https://tiedotteet.example.fi';
const NOW = '2026-01-01T00:00:00Z';

let work: string;

/** What a stub keeps of a release (besides where the rest is): what the site plan reads. */
const STUB_KEYS = [
  'sourcePath',
  'slug',
  'url',
  'title',
  'lang',
  'category',
  'categorySlug',
  'published',
  'translationKey',
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-build-spill-'));
  // Enough files for worker threads; more per scope than a feed shows, so feeds need some
  // bodies back and the archive pages none.
  for (let index = 0; index < 260; index++) {
    const { path, text } = generateRelease(index, 5);
    await mkdir(join(work, 'releases', path, '..'), { recursive: true });
    await writeFile(join(work, 'releases', path), text);
  }
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('ReleaseSpill', () => {
  it('gives back every release whole, with or without its body, leaving only stubs in memory and no file behind', async () => {
    const folder = await mkdtemp(join(work, 'spill-'));
    const spill = ReleaseSpill.open(folder);
    try {
      const site = siteConfigFromEnv(SITE_URL);
      const files = [0, 1, 2].map((index) => generateRelease(index, 7));
      const bodies = ['<p>Kevät ä ö å € 😀</p>', '', '<p>toinen</p>'.repeat(5_000)];
      const releases = files.map(({ path, text }, index) => {
        const result = parseRelease(path, new TextEncoder().encode(text), site);
        if (!result.ok) throw new Error(`${path} was rejected`);
        return { ...result.release, contentHtml: bodies[index] ?? '' };
      });
      const stubs = releases.map((release) => {
        const spilled = spillRelease({ ok: true, release, warnings: [] }, spill.target);
        if (!spilled.ok) throw new Error('a release came back rejected');
        expect(Object.keys(spilled.release).sort()).toEqual(
          [...STUB_KEYS, 'spilled'].filter((key) => key in release || key === 'spilled').sort(),
        );
        return spilled.release;
      });
      const rejected: ParseResult = { ok: false, problem: { path: 'x.md', message: 'no title' } };
      expect(spillRelease(rejected, spill.target)).toBe(rejected);
      // Read in another order than written, and by descriptor as a worker thread does.
      for (const index of [2, 0, 1]) {
        const stub = stubs[index] as ReleaseStub;
        expect(readRelease(spill.fd, stub, true)).toEqual(releases[index]);
        expect(Object.keys(readRelease(spill.fd, stub, true))).toEqual(
          Object.keys(releases[index] as Release),
        );
        expect(readRelease(spill.fd, stub, false)).toEqual({ ...releases[index], contentHtml: '' });
      }
      // The plan's decisions on a stub (slug, URL, translations) win over what was spilled.
      const translations = [{ lang: 'sv', url: `${SITE_URL}/releases/x.html`, title: 'X' }];
      const planned = { ...(stubs[1] as ReleaseStub), slug: 'other', url: 'u', translations };
      expect(spill.read([planned], true)).toEqual([
        { ...releases[1], slug: 'other', url: 'u', translations },
      ]);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      spill.close();
    }
  });
});

describe('newsroom build with spilled releases', () => {
  it('writes the same files as buildSite over the whole releases, on one thread and on threads', async () => {
    const releasesDir = join(work, 'releases');
    const site = siteConfigFromEnv(SITE_URL, { FEED_LIMIT: '5' });
    const refs = await findReleaseFiles(releasesDir);
    const releases = (await parseInProcess(refs, site)).flatMap((result): Release[] =>
      result.ok ? [result.release] : [],
    );
    const expected = buildSite(releases, site, new Date(NOW)).files;
    // Worker threads only in the second build, so that they read back every release themselves,
    // for its page and for its month's archive files.
    const ways: ThreadOptions[] = [{ threads: 1 }, { threads: 2, parseHere: false }];
    for (const [index, options] of ways.entries()) {
      const out = join(work, `out-${index}`);
      const io = { stdout: () => {}, stderr: () => {} };
      const argv = ['--releases', releasesDir, '--out', out, '--site-url', SITE_URL, '--now', NOW];
      const saved = { ...process.env };
      Object.assign(process.env, { FEED_LIMIT: '5', NEWSROOM_BUILD_CACHE: 'off' });
      let filesWritten: number;
      try {
        ({ filesWritten } = await runBuild(argv, io, undefined, options));
      } finally {
        process.env = saved;
      }
      const written = await readdir(out, { recursive: true, withFileTypes: true });
      expect(written.filter((entry) => entry.isFile())).toHaveLength(expected.length);
      // Counted without seeing the files the workers wrote.
      expect(filesWritten).toBe(expected.length);
      for (const file of expected) {
        expect(await readFile(join(out, file.path), 'utf8'), file.path).toBe(file.body);
      }
    }
  }, 120_000);
});

describe('a killed build', () => {
  it('leaves no spilled releases behind: the spill file has no name while the build holds it', async () => {
    const temp = await mkdtemp(join(work, 'tmpdir-'));
    // Enough files on one thread that the build holds its spill file for a second or more.
    const releases = join(work, 'many');
    for (let index = 0; index < 2_000; index++) {
      const { path, text } = generateRelease(index, 9);
      await mkdir(join(releases, path, '..'), { recursive: true });
      await writeFile(join(releases, path), text);
    }
    const child = spawn(
      process.execPath,
      [
        ...[CLI_BUNDLE, 'build', '--releases', releases],
        ...['--out', join(work, 'killed'), '--site-url', SITE_URL, '--now', NOW],
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TMPDIR: temp,
          NEWSROOM_BUILD_CACHE: 'off',
          NEWSROOM_BUILD_THREADS: '1',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Killed while it builds with the spill file open: a descriptor of the child's to a file in
    // `temp` whose name is already gone (it is removed right after it is opened).
    const spill = async (): Promise<string | undefined> => {
      const fds = await readdir(`/proc/${child.pid}/fd`).catch(() => []);
      const targets = await Promise.all(
        fds.map((fd) => readlink(`/proc/${child.pid}/fd/${fd}`).catch(() => '')),
      );
      return targets.find((target) => target.startsWith(temp) && target.endsWith(' (deleted)'));
    };
    let target = await spill();
    while (child.exitCode === null && target === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      target = await spill();
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(target).toMatch(/newsroom-spill-.*\/releases \(deleted\)$/);
    expect(await readdir(temp)).toEqual([]);
  }, 60_000);
});
