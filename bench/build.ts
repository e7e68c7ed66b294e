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
  peakRssMb: number;
  hugo?: { version: string; ms: number; releasesPerSecond: number; peakRssMb: number };
}

/**
 * Full build of a generated archive (`count` releases of ~4 KB), median of `runs` cold processes,
 * and Hugo (when installed) building pages and RSS for the same files on the same machine.
 */
export async function benchBuild(count = 10_000, runs = 3): Promise<BuildBench> {
  const work = await mkdtemp(join(tmpdir(), 'newsroom-bench-build-'));
  try {
    const releasesDir = join(work, 'releases');
    const bytes = await generateArchive(releasesDir, count);
    const samples: { ms: number; maxRssMb: number }[] = [];
    for (let i = 0; i < runs; i += 1) {
      const out = join(work, `out-${i}`);
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'build-child.ts'), releasesDir, out],
        { maxBuffer: 1 << 24 },
      );
      const sample = JSON.parse(stdout) as { ms: number; maxRssMb: number; accepted: number };
      if (sample.accepted !== count)
        throw new Error(`only ${sample.accepted} of ${count} accepted`);
      samples.push(sample);
      await rm(out, { recursive: true, force: true });
    }
    const ms = median(samples.map((s) => s.ms));
    return {
      releases: count,
      markdownMb: bytes / 1e6,
      runs,
      ms,
      releasesPerSecond: (count / ms) * 1000,
      peakRssMb: median(samples.map((s) => s.maxRssMb)),
      hugo: await benchHugo(work, releasesDir, count, runs),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
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
