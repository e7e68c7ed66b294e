import type { Release, ReleaseProblem } from '../release/types.js';
import { buildSite } from '../site/build.js';
import { parseCommandArgs, parseInstantFlag, parseSiteUrl, requireFlag } from './args.js';
import { findReleaseFiles, writeSiteFiles } from './files.js';
import { parseReleaseFiles } from './parse-files.js';
import { siteConfigFromEnv } from './site-options.js';

export const BUILD_USAGE = 'newsroom build --releases DIR --out DIR --site-url URL [--now ISO]';

/** What a build did, for the exit code and the summary line. */
export interface BuildOutcome {
  accepted: number;
  rejected: number;
  filesWritten: number;
}

/**
 * `newsroom build`: parses every release under `--releases`, writes the site into `--out`, and
 * reports each rejected file as one `PATH: reason` line on stderr. Rejections never stop the build.
 */
export async function runBuild(
  argv: string[],
  io: { stdout: (line: string) => void; stderr: (line: string) => void },
  clock: () => Date = () => new Date(),
): Promise<BuildOutcome> {
  const { values } = parseCommandArgs(argv, {
    releases: { type: 'string' },
    out: { type: 'string' },
    'site-url': { type: 'string' },
    now: { type: 'string' },
  });
  const releasesDir = requireFlag(values.releases, 'releases');
  const outDir = requireFlag(values.out, 'out');
  const siteUrl = parseSiteUrl(requireFlag(values['site-url'], 'site-url'));
  const now = values.now === undefined ? clock() : parseInstantFlag(values.now, 'now');
  const site = siteConfigFromEnv(siteUrl);

  const refs = await findReleaseFiles(releasesDir);
  const releases: Release[] = [];
  let rejected = 0;
  const results = await parseReleaseFiles(refs, site);
  for (const [index, result] of results.entries()) {
    const ref = refs[index];
    if (!ref) continue;
    if (result.ok) {
      releases.push(result.release);
    } else {
      rejected += 1;
      io.stderr(`${ref.displayPath}: ${describe(result.problem)}`);
    }
  }
  const { files } = buildSite(releases, site, now);
  await writeSiteFiles(outDir, files);
  io.stdout(
    `Built ${releases.length} release(s) into ${outDir}` +
      (rejected ? `, rejected ${rejected}` : '') +
      ` (${files.length} files; feeds in ${outDir}/feeds/)`,
  );
  return { accepted: releases.length, rejected, filesWritten: files.length };
}

function describe(problem: ReleaseProblem): string {
  return problem.line === undefined ? problem.message : `line ${problem.line}: ${problem.message}`;
}
