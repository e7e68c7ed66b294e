import type { Release, ReleaseProblem } from '../release/types.js';
import { listingFiles, planSite } from '../site/build.js';
import {
  parseCommandArgs,
  parseInstantFlag,
  parseSiteUrl,
  requireFlag,
  UsageError,
} from './args.js';
import { BuildThreads, type ThreadOptions } from './build-threads.js';
import { findReleaseFiles, SiteWriter } from './files.js';
import { siteConfigFromEnv, withSiteConfigFile } from './site-options.js';

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
  threadOptions: ThreadOptions = {},
): Promise<BuildOutcome> {
  const { values } = parseCommandArgs(argv, {
    releases: { type: 'string' },
    out: { type: 'string' },
    'site-url': { type: 'string' },
    now: { type: 'string' },
    'site-config': { type: 'string' },
  });
  const releasesDir = requireFlag(values.releases, 'releases');
  const outDir = requireFlag(values.out, 'out');
  const siteUrl = parseSiteUrl(requireFlag(values['site-url'], 'site-url'));
  const now = values.now === undefined ? clock() : parseInstantFlag(values.now, 'now');
  const site = await withSiteConfigFile(
    siteConfigFromEnv(siteUrl),
    values['site-config'],
    releasesDir,
  );

  const refs = await findReleaseFiles(releasesDir);
  const threads = BuildThreads.start(refs.length, {
    threads: threadsFromEnv(process.env),
    ...threadOptions,
  });
  try {
    const releases: Release[] = [];
    let rejected = 0;
    for (const [index, result] of (await threads.parse(refs, site)).entries()) {
      if (result.ok) {
        releases.push(result.release);
      } else {
        rejected += 1;
        io.stderr(`${refs[index]?.displayPath}: ${describe(result.problem)}`);
      }
    }
    // The same files as buildSite(), written as they are rendered: the pages by every thread.
    const plan = planSite(releases, site, now);
    const writer = new SiteWriter(outDir);
    let filesWritten = plan.live.length;
    await threads.writePages(plan.live, site, writer, () => {
      for (const file of listingFiles(plan, site)) {
        writer.write(file);
        filesWritten += 1;
      }
    });
    report(io, { accepted: releases.length, rejected, filesWritten }, outDir);
    return { accepted: releases.length, rejected, filesWritten };
  } finally {
    await threads.close();
  }
}

function report(io: { stdout: (line: string) => void }, outcome: BuildOutcome, outDir: string) {
  io.stdout(
    `Built ${outcome.accepted} release(s) into ${outDir}` +
      (outcome.rejected ? `, rejected ${outcome.rejected}` : '') +
      ` (${outcome.filesWritten} files; feeds in ${outDir}/feeds/)`,
  );
}

/**
 * `NEWSROOM_BUILD_THREADS`: how many threads a build may use, e.g. 1 on a server shared with other
 * work; unset means one per core.
 */
function threadsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.NEWSROOM_BUILD_THREADS;
  if (value === undefined || value === '') return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new UsageError(`NEWSROOM_BUILD_THREADS must be an integer from 1 to 256, got "${value}"`);
  }
  return threads;
}

function describe(problem: ReleaseProblem): string {
  return problem.line === undefined ? problem.message : `line ${problem.line}: ${problem.message}`;
}
