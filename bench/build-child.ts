// Runs the steps of a CLI build one by one on this thread, in a fresh process, and prints each
// step's CPU time as JSON: CPU time, unlike wall time, hardly moves when others use the machine.

import { writeSiteFiles } from '../src/cli/files.js';
import { parseInProcess } from '../src/cli/parse-files.js';
import { siteConfigFromEnv } from '../src/cli/site-options.js';
import type { Release } from '../src/release/types.js';
import { findReleaseFiles } from '../src/shared/release-files.js';
import { buildSite } from '../src/site/build.js';

const [releases, out] = process.argv.slice(2);
if (!releases || !out) throw new Error('usage: build-child RELEASES OUT');
const SITE_URL = 'https://tiedotteet.example.fi';
const NOW = '2026-01-01T00:00:00Z';

/** CPU time of the whole process (every thread) so far, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

{
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
}
