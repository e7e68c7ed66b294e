// Runs one CLI build in a fresh process and prints its timing, CPU time and peak memory as JSON, so
// every measurement starts cold and peak RSS belongs to the build alone; `--threads N` limits the
// threads (1: no workers). With `--phases` it runs the build's steps one by one on this thread
// instead, and prints each step's CPU time: CPU time, unlike wall time, hardly moves when others
// use the machine.

import { runBuild } from '../src/cli/build.js';
import { findReleaseFiles, writeSiteFiles } from '../src/cli/files.js';
import { parseInProcess } from '../src/cli/parse-files.js';
import { siteConfigFromEnv } from '../src/cli/site-options.js';
import type { Release } from '../src/release/types.js';
import { buildSite } from '../src/site/build.js';

const [releases, out, mode, value] = process.argv.slice(2);
if (!releases || !out) throw new Error('usage: build-child RELEASES OUT [--phases | --threads N]');
const SITE_URL = 'https://tiedotteet.example.fi';
const NOW = '2026-01-01T00:00:00Z';

/** CPU time of the whole process (every thread) so far, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

if (mode === '--phases') {
  const site = siteConfigFromEnv(SITE_URL);
  let mark = cpuMs();
  const lap = () => {
    const now = cpuMs();
    const spent = now - mark;
    mark = now;
    return spent;
  };
  const refs = await findReleaseFiles(releases);
  const findMs = lap();
  const parsed = await parseInProcess(refs, site);
  const parseMs = lap();
  const accepted = parsed.flatMap((result): Release[] => (result.ok ? [result.release] : []));
  const { files } = buildSite(accepted, site, new Date(NOW));
  const buildMs = lap();
  await writeSiteFiles(out, files);
  const writeMs = lap();
  process.stdout.write(
    JSON.stringify({
      accepted: accepted.length,
      files: files.length,
      findMs,
      parseMs,
      buildMs,
      writeMs,
    }),
  );
} else {
  const threads = mode === '--threads' ? Number(value) : undefined;
  const started = performance.now();
  const before = process.cpuUsage();
  const outcome = await runBuild(
    ['--releases', releases, '--out', out, '--site-url', SITE_URL, '--now', NOW],
    { stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) },
    () => new Date(NOW),
    threads === undefined ? {} : { threads },
  );
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(before);
  process.stdout.write(
    JSON.stringify({
      ms,
      userMs: user / 1000,
      systemMs: system / 1000,
      accepted: outcome.accepted,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
