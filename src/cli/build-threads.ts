import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParseOptions } from '../release/parse.js';
import type { ParseResult, Release } from '../release/types.js';
import type { ReleaseFileRef } from '../shared/release-files.js';
import type { SiteConfig } from '../site/config.js';
import { releasePageFile } from '../site/files.js';
import type { SiteWriter } from './files.js';
import { type ParsedBatch, type ParseShare, parseClaimed, parseInProcess } from './parse-files.js';
import { type PageJob, type PageShare, writeClaimedPages } from './release-pages.js';

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_THRESHOLD = 200;

/** How {@link BuildThreads} shares the work. */
export interface ThreadOptions {
  /** Threads in all, this one included; default: the machine's parallelism. */
  threads?: number;
  /** Whether this thread parses too (default), or only the workers do. */
  parseHere?: boolean;
}

/** Messages to a build worker (src/cli/build-worker.ts). */
export type ToWorker = { type: 'parse'; share: ParseShare } | ({ type: 'pages' } & PageShare);

/** Messages from a build worker. */
export type FromWorker =
  | { type: 'parsed'; batch: ParsedBatch }
  | { type: 'parse-done' }
  | { type: 'pages-done' };

/**
 * The threads of a full build. Two steps of a build are CPU-bound and take one release at a time:
 * parsing the files, and rendering and writing each release's page. Both are shared between this
 * thread and worker threads, which claim small batches from a shared counter, so a thread that
 * starts late (a worker loading its modules) or runs slower (a busy core) simply does fewer.
 *
 * A worker keeps the releases it parsed, so that for the pages this thread sends only each page's
 * resolved slug and URL, not the release again. This thread receives a copy of every release (the
 * feeds and lists need them all) and, once done with its own share, helps with the workers' pages.
 */
export class BuildThreads {
  /** Which worker parsed each release (by `sourcePath`); absent: this thread did. */
  private readonly parsedBy = new Map<string, BuildWorker>();
  /**
   * Paths of more than one release (file names that differ only in Unicode normalization): a
   * worker could not tell their releases apart by path, so this thread writes their pages.
   */
  private readonly sharedPaths = new Set<string>();
  private readonly seenPaths = new Set<string>();

  private constructor(
    private readonly workers: readonly BuildWorker[],
    private readonly parseHere: boolean,
  ) {}

  /** Starts the worker threads worth starting for `fileCount` files (none for a small build). */
  static start(
    fileCount: number,
    { threads = availableParallelism(), parseHere = true }: ThreadOptions = {},
  ): BuildThreads {
    const parallel = fileCount >= PARALLEL_THRESHOLD && threads >= 2;
    const workerCount = parallel ? (parseHere ? threads - 1 : threads) : 0;
    const workers = Array.from({ length: workerCount }, () => new BuildWorker());
    return new BuildThreads(workers, parseHere || workers.length === 0);
  }

  /** Reads and parses `refs`, in input order. Fails with the first reading error of any thread. */
  async parse(refs: readonly ReleaseFileRef[], options: ParseOptions): Promise<ParseResult[]> {
    if (this.workers.length === 0) return parseInProcess(refs, options);
    const share: ParseShare = { refs, options, next: new Int32Array(new SharedArrayBuffer(4)) };
    const results: (ParseResult | undefined)[] = new Array(refs.length);
    const place = ({ start, results: batch }: ParsedBatch, by?: BuildWorker) => {
      for (const [offset, result] of batch.entries()) {
        results[start + offset] = result;
        if (!result.ok) continue;
        const path = result.release.sourcePath;
        if (this.seenPaths.has(path)) this.sharedPaths.add(path);
        this.seenPaths.add(path);
        if (by !== undefined) this.parsedBy.set(path, by);
      }
    };
    const working = Promise.all(
      this.workers.map((worker) =>
        worker.request({ type: 'parse', share }, 'parse-done', (batch) => place(batch, worker)),
      ),
    );
    // A worker that fails while this thread parses is reported below, not as an unhandled rejection.
    working.catch(() => undefined);
    // Yielding between batches takes in the workers' batches while parsing goes on.
    if (this.parseHere) await parseClaimed(share, (batch) => place(batch), true);
    await working;
    return results.map((result, index) => {
      if (!result) throw new Error(`no thread parsed ${refs[index]?.displayPath}`);
      return result;
    });
  }

  /**
   * Writes the page of every release in `live` (slugs resolved) with `writer`'s folder. Each
   * worker starts on the pages of the releases it parsed; `beforeHelping` runs on this thread while
   * they do, then this thread writes its own pages and helps with theirs.
   */
  async writePages(
    live: readonly Release[],
    site: SiteConfig,
    writer: SiteWriter,
    beforeHelping: () => void = () => {},
  ): Promise<void> {
    const mine: Release[] = [];
    const jobs = new Map<BuildWorker, PageJob[]>(this.workers.map((worker) => [worker, []]));
    for (const release of live) {
      const { sourcePath, slug, url } = release;
      const worker = this.parsedBy.get(sourcePath);
      if (worker === undefined || this.sharedPaths.has(sourcePath)) mine.push(release);
      else jobs.get(worker)?.push({ sourcePath, slug, url });
    }
    const shares = [...jobs].map(([worker, list]) => ({
      worker,
      share: {
        outDir: writer.outDir,
        site,
        jobs: list,
        next: new Int32Array(new SharedArrayBuffer(4)),
      },
    }));
    const working = Promise.all(
      shares.map(({ worker, share }) => worker.request({ type: 'pages', ...share }, 'pages-done')),
    );
    working.catch(() => undefined);
    beforeHelping();
    for (const release of mine) writer.write(releasePageFile(release, site));
    // The workers' jobs name unique paths, so this thread finds their releases by path.
    const byPath = new Map(live.map((release) => [release.sourcePath, release]));
    for (const { share } of shares) writeClaimedPages(share, byPath, writer);
    await working;
  }

  /** Stops the workers; call it once the build is done or has failed. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** One worker thread running src/cli/build-worker.ts, taking one request at a time. */
class BuildWorker {
  private readonly worker: Worker;
  private pending:
    | { until: FromWorker['type']; resolve: () => void; reject: (error: Error) => void }
    | undefined;
  private onBatch: (batch: ParsedBatch) => void = () => {};
  private failure: Error | undefined;
  private stopping = false;

  constructor() {
    this.worker = new Worker(workerSource(), { eval: true });
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'parsed') this.onBatch(message.batch);
      else if (this.pending?.until === message.type) this.settle();
    });
    this.worker.once('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => {
      if (!this.stopping)
        this.fail(new Error(`build worker exited with code ${code} before it was done`));
    });
  }

  /** Posts `message` and resolves when the worker answers with `until`. */
  request(message: ToWorker, until: FromWorker['type'], onBatch = this.onBatch): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.onBatch = onBatch;
    return new Promise((resolve, reject) => {
      this.pending = { until, resolve, reject };
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
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
