// Runs one CLI build in a fresh process and prints its timing and peak memory as JSON, so every
// measurement starts cold and peak RSS belongs to the build alone.
import { runBuild } from '../src/cli/build.js';

const [releases, out] = process.argv.slice(2);
if (!releases || !out) throw new Error('usage: build-child RELEASES OUT');
const started = performance.now();
const outcome = await runBuild(
  [
    '--releases',
    releases,
    '--out',
    out,
    '--site-url',
    'https://tiedotteet.example.fi',
    '--now',
    '2026-01-01T00:00:00Z',
  ],
  { stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) },
);
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    ms,
    accepted: outcome.accepted,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
