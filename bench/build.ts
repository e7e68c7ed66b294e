import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUILD_HEAP_MB, BUILD_SEMI_SPACE_MB } from '../src/cli/build-threads.js';
import { BENCH_NOW, BENCH_SITE, generateArchive } from './generate.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface BuildBench {
  releases: number;
  markdownMb: number;
  runs: number;
  /** The CLI build as shipped: every core, an empty parse cache (a first build). */
  threaded: BuildRun;
  /**
   * The same build again with the parse cache of an earlier build of the same files (every file
   * unchanged), into a fresh output folder.
   */
  warm: BuildRun;
  /** The naive way, for comparison: the same build on one thread. */
  oneThread: BuildRun;
  /**
   * The threaded build writing into memory (tmpfs), when the machine has /dev/shm: the same work
   * without the kernel's cost of creating files on disk.
   */
  inMemory?: BuildRun;
  /**
   * The machine's floor for this build: read the same release files and write the same files
   * and bytes (those of a finished build) into a fresh folder, timed inside the process.
   */
  ioFloor: IoFloorRun;
  /** CPU time per release of each step, run one after another on one thread (median). */
  phases: BuildPhases;
  hugo?: {
    version: string;
    ms: number;
    releasesPerSecond: number;
    peakRssMb: number;
    userMs: number;
    systemMs: number;
  };
  /** Hugo writing into memory (tmpfs), the fair partner of {@link BuildBench.inMemory}. */
  hugoInMemory?: BuildRun;
}

/** Medians of one way of building. */
export interface BuildRun {
  ms: number;
  releasesPerSecond: number;
  /** CPU time of the build, all threads: user (JavaScript) and system (the kernel, mostly files). */
  userMs: number;
  systemMs: number;
  peakRssMb: number;
}

/** Medians of the I/O floor (bench/io-floor-child.ts). */
export interface IoFloorRun {
  ms: number;
  userMs: number;
  systemMs: number;
  files: number;
  bytesWritten: number;
}

/** CPU milliseconds per release of the steps of a build. */
export interface BuildPhases {
  parse: number;
  build: number;
  write: number;
}

interface ChildSample {
  ms: number;
  userMs: number;
  systemMs: number;
  maxRssMb: number;
  accepted: number;
}

/**
 * Full build of a generated archive (`count` releases of ~4 KB), median of `runs` cold processes,
 * threaded (as shipped), on one thread, into RAM, and Hugo (when installed) building pages and
 * RSS for the same files, taking turns. Then `runs` more processes time the build's steps one by
 * one (CPU time per release).
 *
 * Every output stays until the end: on ext4 without a journal (as here), creating files right
 * after deleting thousands costs far more kernel time, which would charge one run for the last.
 */
export async function benchBuild(count = 10_000, runs = 3): Promise<BuildBench> {
  const work = await mkdtemp(join(tmpdir(), 'newsroom-bench-build-'));
  try {
    const releasesDir = join(work, 'releases');
    const bytes = await generateArchive(releasesDir, count);
    const threaded: ChildSample[] = [];
    const warm: ChildSample[] = [];
    const oneThread: ChildSample[] = [];
    const inMemory: ChildSample[] = [];
    const memory = await memoryFolder();
    await prepareCli(releasesDir);
    const hugoSite = await prepareHugo(work, releasesDir);
    const hugoSamples: HugoSample[] = [];
    const hugoInMemory: HugoSample[] = [];
    // A finished build whose files the floor writes again (untimed, before the rounds); its parse
    // cache is the one the warm builds use.
    const reference = join(work, 'floor-reference');
    const warmCache = join(work, 'cache-warm');
    await runCli(releasesDir, reference, { cache: warmCache });
    // Every cold build starts with an empty cache of its own, so it pays for writing one.
    const cold = () => ({ cache: join(work, `cache-${randomUUID()}`) });
    const floor: IoFloorSample[] = [];
    for (let i = 0; i < runs; i += 1) {
      // Every builder takes a turn in every round, each round starting with the next one, so that
      // all meet the machine at the same speed and the file system in the same state (see above).
      const turns: (() => Promise<void>)[] = [
        async () => {
          threaded.push(await runCli(releasesDir, join(work, `out-${i}`), cold()));
        },
        async () => {
          warm.push(await runCli(releasesDir, join(work, `warm-${i}`), { cache: warmCache }));
        },
        async () => {
          oneThread.push(
            await runCli(releasesDir, join(work, `one-${i}`), { ...cold(), threads: 1 }),
          );
        },
        async () => {
          if (!memory) return;
          inMemory.push(await runCli(releasesDir, join(memory, 'out'), cold()));
          await rm(join(memory, 'out'), { recursive: true, force: true });
        },
        async () => {
          floor.push(await runIoFloor(releasesDir, reference, join(work, `floor-${i}`)));
        },
        async () => {
          if (hugoSite) hugoSamples.push(await runHugo(hugoSite.site, join(work, `hugo-${i}`)));
        },
        async () => {
          if (!hugoSite || !memory) return;
          hugoInMemory.push(await runHugo(hugoSite.site, join(memory, 'hugo')));
          await rm(join(memory, 'hugo'), { recursive: true, force: true });
        },
      ];
      for (let turn = 0; turn < turns.length; turn += 1) {
        await turns[(i + turn) % turns.length]?.();
      }
    }
    if (memory) await rm(memory, { recursive: true, force: true });
    for (const sample of [...threaded, ...warm, ...oneThread, ...inMemory]) {
      if (sample.accepted !== count)
        throw new Error(`only ${sample.accepted} of ${count} accepted`);
    }
    const hugoMs = median(hugoSamples.map((sample) => sample.ms));
    const hugo = hugoSite && {
      version: hugoSite.version,
      ms: hugoMs,
      releasesPerSecond: (count / hugoMs) * 1000,
      peakRssMb: median(hugoSamples.map((sample) => sample.rss)),
      userMs: median(hugoSamples.map((sample) => sample.userMs)),
      systemMs: median(hugoSamples.map((sample) => sample.systemMs)),
    };
    const phases: BuildPhases[] = [];
    for (let i = 0; i < runs; i += 1) {
      const sample = await runChild<{ parseMs: number; buildMs: number; writeMs: number }>(
        releasesDir,
        join(work, `phases-${i}`),
      );
      phases.push({
        parse: sample.parseMs / count,
        build: sample.buildMs / count,
        write: sample.writeMs / count,
      });
    }
    return {
      releases: count,
      markdownMb: bytes / 1e6,
      runs,
      threaded: summarize(threaded, count),
      warm: summarize(warm, count),
      oneThread: summarize(oneThread, count),
      ...(inMemory.length > 0 ? { inMemory: summarize(inMemory, count) } : {}),
      ioFloor: {
        ms: median(floor.map((s) => s.ms)),
        userMs: median(floor.map((s) => s.userMs)),
        systemMs: median(floor.map((s) => s.systemMs)),
        files: floor[0]?.files ?? 0,
        bytesWritten: floor[0]?.written ?? 0,
      },
      phases: {
        parse: median(phases.map((p) => p.parse)),
        build: median(phases.map((p) => p.build)),
        write: median(phases.map((p) => p.write)),
      },
      hugo,
      ...(hugoInMemory.length > 0
        ? {
            hugoInMemory: summarize(
              hugoInMemory.map((sample) => ({ ...sample, maxRssMb: sample.rss, accepted: count })),
              count,
            ),
          }
        : {}),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A fresh folder on /dev/shm (a RAM file system), or `undefined` where there is none. */
async function memoryFolder(): Promise<string | undefined> {
  try {
    return await mkdtemp('/dev/shm/newsroom-bench-');
  } catch {
    return undefined;
  }
}

function summarize(samples: readonly ChildSample[], count: number): BuildRun {
  const ms = median(samples.map((s) => s.ms));
  return {
    ms,
    releasesPerSecond: (count / ms) * 1000,
    userMs: median(samples.map((s) => s.userMs)),
    systemMs: median(samples.map((s) => s.systemMs)),
    peakRssMb: median(samples.map((s) => s.maxRssMb)),
  };
}

const LAUNCHER = join(import.meta.dirname, '..', 'scripts', 'newsroom.mjs');
const SITE_URL = BENCH_SITE.siteUrl;
const NOW = BENCH_NOW;

/** Builds the CLI bundle (on first use) outside the timed runs, by validating one release. */
async function prepareCli(releasesDir: string): Promise<void> {
  const [first] = (await readdir(releasesDir, { recursive: true })).filter((p) =>
    p.endsWith('.md'),
  );
  if (first === undefined) throw new Error(`no releases in ${releasesDir}`);
  await run(process.execPath, [LAUNCHER, 'validate', join(releasesDir, first)]);
}

/**
 * Runs `npm run newsroom -- build` as users do (the launcher and its bundle, without npm's own
 * start-up) in a fresh process under GNU time, like Hugo: wall time, peak RSS and CPU of the whole
 * process. `threads` sets NEWSROOM_BUILD_THREADS, `cache` NEWSROOM_BUILD_CACHE.
 */
async function runCli(
  releasesDir: string,
  out: string,
  { threads, cache }: { threads?: number; cache: string },
): Promise<ChildSample> {
  const { stdout, stderr } = await run(
    '/usr/bin/time',
    [
      '-f',
      'newsroom-time %e %M %U %S',
      process.execPath,
      // As package.json's `newsroom` script runs it.
      `--max-old-space-size=${BUILD_HEAP_MB}`,
      `--max-semi-space-size=${BUILD_SEMI_SPACE_MB}`,
      LAUNCHER,
      'build',
      '--releases',
      releasesDir,
      '--out',
      out,
      '--site-url',
      SITE_URL,
      '--now',
      NOW,
    ],
    {
      maxBuffer: 1 << 24,
      env: {
        ...process.env,
        NEWSROOM_BUILD_THREADS: threads === undefined ? '' : String(threads),
        NEWSROOM_BUILD_CACHE: cache,
      },
    },
  );
  const timing = stderr.split('\n').find((line) => line.startsWith('newsroom-time '));
  const [seconds, kb, user, system] = (timing ?? '').split(' ').slice(1).map(Number);
  if (seconds === undefined || kb === undefined || user === undefined || system === undefined) {
    throw new Error(`no timing from the build: ${stderr}`);
  }
  return {
    ms: seconds * 1000,
    maxRssMb: kb / 1024,
    userMs: user * 1000,
    systemMs: system * 1000,
    accepted: Number(/Built (\d+) release/.exec(stdout)?.[1] ?? 0),
  };
}

interface IoFloorSample {
  ms: number;
  userMs: number;
  systemMs: number;
  files: number;
  written: number;
}

/** Runs bench/io-floor-child.ts in a fresh process, writing `reference`'s files into `out`. */
async function runIoFloor(releasesDir: string, reference: string, out: string) {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'io-floor-child.ts'),
      releasesDir,
      reference,
      out,
    ],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout) as IoFloorSample;
}

/** Runs bench/build-child.ts in a fresh process; what it wrote stays until the bench ends. */
async function runChild<T>(releasesDir: string, out: string, ...flags: string[]): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'build-child.ts'), releasesDir, out, ...flags],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout) as T;
}

/** A Hugo site over the same files, or `undefined` when Hugo is not installed. */
async function prepareHugo(
  work: string,
  releasesDir: string,
): Promise<{ version: string; site: string } | undefined> {
  let version: string;
  try {
    version = (await run('hugo', ['version'])).stdout.trim().split(' ')[1] ?? 'unknown';
  } catch {
    return undefined;
  }
  const site = join(work, 'hugo');
  await mkdir(join(site, 'layouts', '_default'), { recursive: true });
  const years = (await readdir(releasesDir)).filter((name) => /^\d{4}$/.test(name)).sort();
  await writeFile(join(site, 'config.toml'), hugoConfig(years));
  await writeFile(
    join(site, 'layouts', '_default', 'single.html'),
    '<!doctype html><html lang="{{ .Params.lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}</main></body></html>',
  );
  await writeFile(
    join(site, 'layouts', '_default', 'list.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><ul>{{ range first 50 .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>',
  );
  await run('cp', ['-r', releasesDir, join(site, 'content')]);
  return { version, site };
}

/**
 * Hugo configured fairly: the same feed limit as ours (50 items), release pages at our URLs
 * (`releases/<year>-<file>.html`, each year folder being a Hugo section), feeds under `feeds/`,
 * raw HTML passed through (Hugo drops it by default; we keep it, sanitized).
 */
export function hugoConfig(years: readonly string[]): string {
  return [
    `baseURL = "${SITE_URL}/"`,
    'title = "Bench"',
    'disableKinds = ["taxonomy", "term"]',
    'uglyURLs = true',
    '[services.rss]',
    `limit = ${BENCH_SITE.feedLimit}`,
    '[outputs]',
    'home = ["HTML", "RSS"]',
    'section = ["HTML", "RSS"]',
    '[outputFormats.RSS]',
    'baseName = "rss"',
    'path = "feeds"',
    '[markup.goldmark.renderer]',
    'unsafe = true',
    '[permalinks]',
    ...years.map((year) => `"${year}" = "/releases/:section-:filename"`),
    '',
  ].join('\n');
}

interface HugoSample {
  ms: number;
  rss: number;
  userMs: number;
  systemMs: number;
}

/** One Hugo build of `site` into `out`, under GNU time. */
async function runHugo(site: string, out: string): Promise<HugoSample> {
  const { stderr } = await run(
    '/usr/bin/time',
    ['-f', '%e %M %U %S', 'hugo', '--quiet', '-s', site, '-d', out],
    {
      maxBuffer: 1 << 24,
    },
  ).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
  const [seconds, kb, user, system] = stderr.trim().split('\n').at(-1)?.split(' ') ?? [];
  return {
    ms: Number(seconds) * 1000,
    rss: Number(kb) / 1024,
    userMs: Number(user) * 1000,
    systemMs: Number(system) * 1000,
  };
}
