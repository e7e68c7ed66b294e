import { formatProblem, formatWarning, type Release } from '../release/types.js';
import { findReleaseFiles, type ReleaseFileRef } from '../shared/release-files.js';
import {
  archiveMonthFileCount,
  archiveMonths,
  liveMedia,
  planSite,
  siteListingFiles,
} from '../site/build.js';
import {
  parseCommandArgs,
  parseInstantFlag,
  parseSiteUrl,
  requireFlag,
  UsageError,
} from './args.js';
import { ReleaseSpill, type ReleaseStub, type SpilledResult } from './build-spill.js';
import { BuildThreads, type ThreadOptions } from './build-threads.js';
import { checkReleasesFolder, prepareOutputFolder, SiteWriter } from './files.js';
import { diskMediaLookup } from './media-files.js';
import { cacheFolder, ParseCache } from './parse-cache.js';
import { terminalProgress } from './progress.js';
import { siteConfigFromEnv, withSiteConfigFile } from './site-options.js';

/** What a build did, for the exit code and the summary line. */
export interface BuildOutcome {
  accepted: number;
  rejected: number;
  filesWritten: number;
  /** Files whose parse result came from the parse cache (unchanged since an earlier build). */
  fromCache: number;
}

/**
 * `newsroom build`: parses every release under `--releases`, writes the site into `--out`, and
 * reports each rejected file as one `PATH:LINE: reason` line on stderr (and each warning as
 * `PATH:LINE: warning: reason`). Rejections never stop the build. Files unchanged since an
 * earlier build are not parsed again (see {@link ParseCache}; `NEWSROOM_BUILD_CACHE=off` turns
 * that off).
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
  await checkReleasesFolder(releasesDir);
  const site = await withSiteConfigFile(
    siteConfigFromEnv(siteUrl),
    values['site-config'],
    releasesDir,
  );
  await prepareOutputFolder(outDir);

  const progress = terminalProgress();
  progress.update(`Looking for release files in ${releasesDir}…`);
  const refs = await findReleaseFiles(releasesDir);
  const folder = cacheFolder(process.env);
  const cache = folder === undefined ? undefined : await ParseCache.open(folder, site);
  // The releases wait on disk for the files that show them: memory holds what orders and groups.
  const spill = ReleaseSpill.open();
  const threads = BuildThreads.start(refs.length, {
    threads: threadsFromEnv(process.env),
    ...threadOptions,
  });
  try {
    progress.update(`Reading ${refs.length} release file(s)…`);
    const parsed = await threads.parse(refs, site, cache, spill);
    cache?.commit();
    progress.done();
    // Handed over (`parsed` left empty) so that the results do not outlive the sorting.
    const { releases, rejected } = sortResults(parsed.splice(0), refs, io);
    // The same files as buildSite(), written as they are rendered: the pages by every thread,
    // the feeds, lists and media by this one while the workers finish their last pages.
    const plan = planSite(releases, site, now);
    const writer = new SiteWriter(outDir);
    let filesWritten = plan.live.length;
    progress.update(`Writing ${plan.live.length} release page(s) into ${outDir}…`);
    // Every thread writes months too, once the pages are handed out; this one first the rest.
    const months = archiveMonths(plan, site);
    for (const month of months) filesWritten += archiveMonthFileCount(month);
    const writeListings = () => {
      const read = (stubs: readonly ReleaseStub[], withBodies: boolean) =>
        spill.read(stubs, withBodies);
      for (const file of siteListingFiles(plan, site, read)) {
        writer.write(file);
        filesWritten += 1;
        progress.update(`Writing feeds, lists and sitemaps: ${filesWritten} files…`);
      }
      filesWritten += writeMedia(plan.live, releasesDir, writer);
    };
    await threads.writePages(plan.live, site, writer, writeListings, spill, months);
    progress.done();
    const outcome = {
      accepted: releases.length,
      rejected,
      filesWritten,
      fromCache: threads.fromCache,
    };
    report(io, outcome, outDir);
    return outcome;
  } finally {
    progress.done();
    cache?.discard();
    await threads.close();
    spill.close();
  }
}

/** Splits parse results into releases and rejections, printing each problem and warning. */
function sortResults(
  results: readonly SpilledResult[],
  refs: readonly ReleaseFileRef[],
  io: { stderr: (line: string) => void },
): { releases: ReleaseStub[]; rejected: number } {
  const releases: ReleaseStub[] = [];
  let rejected = 0;
  for (const [index, result] of results.entries()) {
    const path = refs[index]?.displayPath ?? '';
    if (result.ok) {
      releases.push(result.release);
      for (const warning of result.warnings) io.stderr(formatWarning({ ...warning, path }));
    } else {
      rejected += 1;
      io.stderr(formatProblem({ ...result.problem, path }));
    }
  }
  return { releases, rejected };
}

function report(io: { stdout: (line: string) => void }, outcome: BuildOutcome, outDir: string) {
  io.stdout(
    `Built ${outcome.accepted} release(s) into ${outDir}` +
      (outcome.rejected ? `, rejected ${outcome.rejected}` : '') +
      ` (${outcome.filesWritten} files; feeds in ${outDir}/feeds/)` +
      (outcome.fromCache ? `; ${outcome.fromCache} file(s) unchanged since the last build` : ''),
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

/**
 * Copies the media files the live releases reference and that were checked and published into
 * `--out` at their public paths (each file once; embargoed releases' media stay out). Returns how
 * many were written.
 */
function writeMedia(
  live: readonly Pick<Release, 'media'>[],
  releasesDir: string,
  writer: SiteWriter,
): number {
  const lookup = diskMediaLookup(releasesDir);
  let written = 0;
  for (const { publicPath, sourcePath } of liveMedia(live)) {
    const source = lookup.source(sourcePath);
    if (source === undefined) continue; // removed since it was checked: its page lost nothing yet
    writer.write({ path: publicPath, body: source.read() });
    written += 1;
  }
  return written;
}
