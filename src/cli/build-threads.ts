import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ParseOptions } from '../release/parse.js';
import type { ParseResult, Release } from '../release/types.js';
import type { ReleaseFileRef } from '../shared/release-files.js';
import { type ArchiveMonthJob, archiveMonthFiles } from '../site/build.js';
import type { SiteConfig, SiteFile } from '../site/config.js';
import { releasePageFile } from '../site/files.js';
import {
  isStub,
  type ReleaseSpill,
  type ReleaseStub,
  readRelease,
  type SpilledResult,
} from './build-spill.js';
import type { SiteWriter } from './files.js';
import type { ParseCache } from './parse-cache.js';
import { finishFor, type ParsedBatch, type ParseShare, parseClaimed } from './parse-files.js';

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 200;

/** Release pages handed out at a time: enough to keep a worker busy between two messages. */
const PAGE_BATCH = 32;

/**
 * Pieces of work (page batches, months) a worker asks for ahead of the one it is writing, so that
 * it never waits for this thread between them, while no more than a few batches of releases are
 * ever copied at once.
 */
export const WORK_AHEAD = 2;

/**
 * Old-generation size limit, in MB, of a worker's heap and of the main thread's under
 * `npm run newsroom` (package.json). The main thread holds ~1 KB per release (the rest waits on
 * disk: src/cli/build-spill.ts), a worker a few batches or a month. Below 2 GB, V8 lets a heap
 * grow to about twice what survived its last full collection instead of four times (its heap
 * controller's factor for large heaps), which keeps a full build's peak memory nearer what it
 * holds (docs/benchmarks.md, "Full build").
 */
export const BUILD_HEAP_MB = 2000;

/**
 * Size limit, in MB, of each semi-space of a heap's young generation: the worker threads' (their
 * young generation is three of them) and the main thread's under `npm run newsroom`
 * (`--max-semi-space-size`, package.json). V8's default, 16, lets every heap keep up to ~48 MB of
 * young objects; a build's garbage dies young anyway, so 4 keeps a build of unchanged files at
 * 50,000 releases ~100 MB lower for ~5% more CPU (V8's collector threads scavenge more often; one
 * thread at 10k, quiet: 6.3–6.6 s user against 6.0–6.2 s with 16) (docs/benchmarks.md, "Build
 * memory at 10,000 and 50,000 releases").
 */
export const BUILD_SEMI_SPACE_MB = 4;

/**
 * How far, in percent, a build lets each heap grow past what survived its last full collection
 * (V8's `--heap-growing-percent`; its own factor here is ~100%). At 50,000 releases this keeps the
 * peak ~60 MB lower (398 → 338–342 MB threaded) at no measurable CPU; 30% kept it 35 MB lower still
 * but cost 25% more CPU in full collections (30.7 → 39.1 s user), 45% half of that
 * (docs/benchmarks.md, "Build memory at 10,000 and 50,000 releases").
 */
const BUILD_HEAP_GROWING_PERCENT = 60;

/** How {@link BuildThreads} shares the work. */
export interface ThreadOptions {
  /** Threads in all, this one included; default: the machine's parallelism. */
  threads?: number;
  /** Whether this thread parses too (default), or only the workers do. */
  parseHere?: boolean;
}

/** Messages to a build worker (src/cli/build-worker.ts). */
export type ToWorker =
  | { type: 'parse'; share: ParseShare }
  | { type: 'pages'; outDir: string; site: SiteConfig; spillFd?: number }
  | { type: 'work'; work: WriteWork }
  | { type: 'pages-end' };

/** Messages from a build worker. */
export type FromWorker =
  | { type: 'parsed'; batch: ParsedBatch<ParseResult | SpilledResult> }
  | { type: 'parse-done' }
  | { type: 'want-work' }
  | { type: 'pages-done' };

/**
 * The threads of a full build. Two steps of a build are CPU-bound and take one release at a time:
 * parsing the files, and rendering and writing each release's page. Both are shared between this
 * thread and worker threads, so that a thread that starts late (a worker loading its modules) or
 * runs slower (a busy core) simply does fewer.
 *
 * This thread holds the only copy of the releases (with a {@link ReleaseSpill}, only their
 * stubs): the workers hand over every release they parse and keep none, and for the pages they ask
 * this thread for a few batches of releases at a time (with their slugs and translations resolved
 * by the site plan). Memory holds each release once, and a page never misses what only the whole
 * set decides.
 */
export class BuildThreads {
  /** How many results the last {@link parse} took from the cache instead of parsing. */
  fromCache = 0;

  private constructor(
    private readonly workers: readonly BuildWorker[],
    private readonly parseHere: boolean,
  ) {}

  /**
   * Starts the worker threads worth starting for `fileCount` files (none for a small build), after
   * setting {@link BUILD_HEAP_GROWING_PERCENT} for every heap of the process.
   */
  static start(
    fileCount: number,
    { threads = availableParallelism(), parseHere = true }: ThreadOptions = {},
  ): BuildThreads {
    // A V8 flag the heap controller reads at each collection, so setting it now takes effect.
    setFlagsFromString(`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`);
    const parallel = fileCount >= PARALLEL_THRESHOLD && threads >= 2;
    const workerCount = parallel ? (parseHere ? threads - 1 : threads) : 0;
    const workers = Array.from({ length: workerCount }, () => new BuildWorker());
    return new BuildThreads(workers, parseHere || workers.length === 0);
  }

  /**
   * Reads and parses `refs`, in input order. Fails with the first reading error of any thread.
   * With `cache`, a file whose result the cache holds is not parsed again, and every result goes
   * into the cache's next pack. With `spill`, the thread that parses a release writes it there,
   * and the results come back with the releases' stubs.
   */
  parse(
    refs: readonly ReleaseFileRef[],
    options: ParseOptions,
    cache?: ParseCache,
  ): Promise<ParseResult[]>;
  parse(
    refs: readonly ReleaseFileRef[],
    options: ParseOptions,
    cache: ParseCache | undefined,
    spill: ReleaseSpill,
  ): Promise<SpilledResult[]>;
  async parse(
    refs: readonly ReleaseFileRef[],
    options: ParseOptions,
    cache?: ParseCache,
    spill?: ReleaseSpill,
  ): Promise<(ParseResult | SpilledResult)[]> {
    const share: ParseShare = {
      refs,
      options,
      next: new Int32Array(new SharedArrayBuffer(4)),
      ...(cache ? { cache: { lookup: cache.lookup } } : {}),
      ...(spill ? { spill: spill.target } : {}),
    };
    const results: (ParseResult | SpilledResult | undefined)[] = new Array(refs.length);
    this.fromCache = 0;
    const place = ({
      start,
      results: batch,
      records,
      cached,
    }: ParsedBatch<ParseResult | SpilledResult>) => {
      for (const [offset, result] of batch.entries()) results[start + offset] = result;
      cache?.add(records);
      this.fromCache += cached;
    };
    const working = Promise.all(this.workers.map((worker) => worker.parse(share, place)));
    // A worker that fails while this thread parses is reported below, not as an unhandled rejection.
    working.catch(() => undefined);
    // Yielding between batches takes in the workers' batches while parsing goes on.
    if (this.parseHere) await parseClaimed(share, finishFor(share), place, this.workers.length > 0);
    await working;
    return results.map((result, index) => {
      if (!result) throw new Error(`no thread parsed ${refs[index]?.displayPath}`);
      return result;
    });
  }

  /**
   * Renders and writes the page of every release in `live` (slugs resolved) into `writer`'s
   * folder, on this thread and the workers, batch by batch; then the files of each of `months`
   * (see {@link archiveMonthFiles}), a month at a time. Runs `alongside` on this thread once
   * every page batch is handed out, and resolves when every file is written. Stubs of releases
   * spilled by {@link parse} need their `spill`: every thread reads the releases back from there.
   */
  async writePages(
    live: readonly PageRelease[],
    site: SiteConfig,
    writer: SiteWriter,
    alongside: () => void = () => {},
    spill?: ReleaseSpill,
    months: readonly ArchiveMonthJob<PageRelease>[] = [],
  ): Promise<void> {
    let next = 0;
    let nextMonth = 0;
    const take = (): WriteWork | undefined => {
      if (next < live.length) {
        const releases = live.slice(next, next + PAGE_BATCH);
        next += releases.length;
        return { kind: 'pages', releases };
      }
      const job = months[nextMonth];
      nextMonth += 1;
      return job && { kind: 'month', job };
    };
    const working = Promise.all(
      this.workers.map((worker) => worker.writePages(writer.outDir, site, take, spill?.fd)),
    );
    working.catch(() => undefined);
    const doing = async (work: WriteWork) => {
      for (const file of workFiles(work, site, spill?.fd)) writer.write(file);
      // Answers the workers' requests for more work that came in meanwhile.
      if (this.workers.length > 0) await nextTurn();
    };
    let work = take();
    for (; work?.kind === 'pages'; work = take()) await doing(work);
    alongside();
    for (; work !== undefined; work = take()) await doing(work);
    await working;
  }

  /** Stops the workers; call it once the build is done or has failed. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** A release whose page is to be written: whole, or the stub of a spilled one. */
export type PageRelease = Release | ReleaseStub;

/** A piece of the writing any thread can take: a batch of release pages, or a month's files. */
export type WriteWork =
  | { kind: 'pages'; releases: PageRelease[] }
  | { kind: 'month'; job: ArchiveMonthJob<PageRelease> };

/** The files of `work`, rendered with their releases read back from `spillFd` when spilled. */
export function* workFiles(
  work: WriteWork,
  site: SiteConfig,
  spillFd: number | undefined,
): Generator<SiteFile> {
  if (work.kind === 'pages') {
    for (const release of work.releases) {
      yield releasePageFile(wholeRelease(release, spillFd, true), site);
    }
    return;
  }
  const releases = work.job.releases.map((release) => wholeRelease(release, spillFd, false));
  yield* archiveMonthFiles({ ...work.job, releases }, site);
}

/**
 * `release` whole: a stub is read back, with its body or without, from the spill file open as
 * `spillFd`.
 */
function wholeRelease(release: PageRelease, spillFd: number | undefined, withBody: boolean) {
  if (!isStub(release)) return release;
  if (spillFd === undefined) throw new Error(`${release.sourcePath} was spilled, but to no file`);
  return readRelease(spillFd, release, withBody);
}

/** One worker thread running src/cli/build-worker.ts, taking one request at a time. */
class BuildWorker {
  private readonly worker: Worker;
  private pending:
    | { until: FromWorker['type']; resolve: () => void; reject: (error: Error) => void }
    | undefined;
  private onBatch: (batch: ParsedBatch<ParseResult | SpilledResult>) => void = () => {};
  private takeWork: () => WriteWork | undefined = () => undefined;
  private failure: Error | undefined;
  private stopping = false;

  constructor() {
    this.worker = new Worker(workerSource(), {
      eval: true,
      resourceLimits: {
        maxOldGenerationSizeMb: BUILD_HEAP_MB,
        maxYoungGenerationSizeMb: 3 * BUILD_SEMI_SPACE_MB,
      },
    });
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'parsed') this.onBatch(message.batch);
      else if (message.type === 'want-work') this.sendWork();
      else if (this.pending?.until === message.type) this.settle();
    });
    this.worker.once('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => {
      if (!this.stopping)
        this.fail(new Error(`build worker exited with code ${code} before it was done`));
    });
  }

  /** Takes batches of `share` until none are left, handing each batch's results to `onBatch`. */
  parse(
    share: ParseShare,
    onBatch: (batch: ParsedBatch<ParseResult | SpilledResult>) => void,
  ): Promise<void> {
    this.onBatch = onBatch;
    // Let go of `onBatch` when done: it holds every result of the parse until the build ends.
    return this.request({ type: 'parse', share }, 'parse-done').finally(() => {
      this.onBatch = () => {};
    });
  }

  /**
   * Writes files into `outDir`, asking `take` for each next piece of work until it gives none;
   * releases spilled into `spillFd` are read back from it.
   */
  writePages(
    outDir: string,
    site: SiteConfig,
    take: () => WriteWork | undefined,
    spillFd?: number,
  ): Promise<void> {
    this.takeWork = take;
    const spill = spillFd === undefined ? {} : { spillFd };
    return this.request({ type: 'pages', outDir, site, ...spill }, 'pages-done');
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }

  /** Posts `message` and resolves when the worker answers with `until`. */
  private request(message: ToWorker, until: FromWorker['type']): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { until, resolve, reject };
      this.worker.postMessage(message);
    });
  }

  private sendWork(): void {
    const work = this.takeWork();
    this.worker.postMessage(
      work === undefined
        ? ({ type: 'pages-end' } satisfies ToWorker)
        : ({ type: 'work', work } satisfies ToWorker),
    );
  }

  private settle(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(this.failure);
  }
}

/**
 * Source of the worker's entry. From the CLI bundle (scripts/newsroom.mjs) it is the bundled
 * build-worker.mjs beside this code; from the TypeScript sources (tests, under tsx) the worker
 * must register tsx first.
 */
function workerSource(): string {
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  const entry = new URL(`./build-worker${extension}`, import.meta.url).href;
  // On Node 20 a worker does not inherit the TypeScript loader; compiled JavaScript needs none.
  return extension === '.ts'
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
}
