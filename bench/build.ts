import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateArchive } from './generate.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface BuildBench {
  releases: number;
  markdownMb: number;
  runs: number;
  ms: number;
  releasesPerSecond: number;
  /** CPU time of the build process, all threads (median): steadier than `ms` on a busy machine. */
  cpuMs: number;
  peakRssMb: number;
  /** CPU time per release of each step, run one after another on one thread (median). */
  phases: BuildPhases;
  hugo?: { version: string; ms: number; releasesPerSecond: number; peakRssMb: number };
}

/** CPU milliseconds per release of the steps of a build. */
export interface BuildPhases {
  parse: number;
  build: number;
  write: number;
}

/**
 * Full build of a generated archive (`count` releases of ~4 KB), median of `runs` cold processes,
 * and Hugo (when installed) building pages and RSS for the same files on the same machine. Then
 * `runs` more processes time the build's steps one by one (CPU time per release).
 */
export async function benchBuild(count = 10_000, runs = 3): Promise<BuildBench> {
  const work = await mkdtemp(join(tmpdir(), 'newsroom-bench-build-'));
  try {
    const releasesDir = join(work, 'releases');
    const bytes = await generateArchive(releasesDir, count);
    const samples: { ms: number; cpuMs: number; maxRssMb: number }[] = [];
    for (let i = 0; i < runs; i += 1) {
      const sample = await runChild<{
        ms: number;
        cpuMs: number;
        maxRssMb: number;
        accepted: number;
      }>(releasesDir, join(work, `out-${i}`));
      if (sample.accepted !== count)
        throw new Error(`only ${sample.accepted} of ${count} accepted`);
      samples.push(sample);
    }
    const ms = median(samples.map((s) => s.ms));
    const hugo = await benchHugo(work, releasesDir, count, runs);
    const phases: BuildPhases[] = [];
    for (let i = 0; i < runs; i += 1) {
      const sample = await runChild<{ parseMs: number; buildMs: number; writeMs: number }>(
        releasesDir,
        join(work, `phases-${i}`),
        '--phases',
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
      ms,
      releasesPerSecond: (count / ms) * 1000,
      cpuMs: median(samples.map((s) => s.cpuMs)),
      peakRssMb: median(samples.map((s) => s.maxRssMb)),
      phases: {
        parse: median(phases.map((p) => p.parse)),
        build: median(phases.map((p) => p.build)),
        write: median(phases.map((p) => p.write)),
      },
      hugo,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs bench/build-child.ts in a fresh process, then removes what it wrote. */
async function runChild<T>(releasesDir: string, out: string, ...flags: string[]): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'build-child.ts'), releasesDir, out, ...flags],
    { maxBuffer: 1 << 24 },
  );
  await rm(out, { recursive: true, force: true });
  return JSON.parse(stdout) as T;
}

async function benchHugo(work: string, releasesDir: string, count: number, runs: number) {
  let version: string;
  try {
    version = (await run('hugo', ['version'])).stdout.trim().split(' ')[1] ?? 'unknown';
  } catch {
    return undefined;
  }
  const site = join(work, 'hugo');
  await mkdir(join(site, 'layouts', '_default'), { recursive: true });
  await writeFile(
    join(site, 'config.toml'),
    'baseURL = "https://tiedotteet.example.fi/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term"]\n[outputs]\nhome = ["HTML", "RSS"]\nsection = ["HTML", "RSS"]\n',
  );
  await writeFile(
    join(site, 'layouts', '_default', 'single.html'),
    '<!doctype html><html lang="{{ .Params.lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}</main></body></html>',
  );
  await writeFile(
    join(site, 'layouts', '_default', 'list.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><ul>{{ range first 50 .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>',
  );
  await run('cp', ['-r', releasesDir, join(site, 'content')]);
  const samples: { ms: number; rss: number }[] = [];
  for (let i = 0; i < runs; i += 1) {
    const out = join(work, `hugo-out-${i}`);
    const { stderr } = await run(
      '/usr/bin/time',
      ['-f', '%e %M', 'hugo', '--quiet', '-s', site, '-d', out],
      { maxBuffer: 1 << 24 },
    ).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
    const [seconds, kb] = stderr.trim().split('\n').at(-1)?.split(' ') ?? [];
    samples.push({ ms: Number(seconds) * 1000, rss: Number(kb) / 1024 });
    await rm(out, { recursive: true, force: true });
  }
  const ms = median(samples.map((s) => s.ms));
  return {
    version,
    ms,
    releasesPerSecond: (count / ms) * 1000,
    peakRssMb: median(samples.map((s) => s.rss)),
  };
}
