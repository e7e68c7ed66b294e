import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ParseOptions, parseRelease } from '../release/parse.js';
import type { ParseResult } from '../release/types.js';
import type { ReleaseFileRef } from './files.js';

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 200;

/**
 * Files claimed at a time from the shared counter: small enough that the threads finish together,
 * large enough that claiming and posting results cost next to nothing.
 */
export const CLAIM_BATCH = 32;

/** What a parser thread needs to take its share of the files. */
export interface ParseShare {
  refs: readonly ReleaseFileRef[];
  options: ParseOptions;
  /** One Int32 on a SharedArrayBuffer: the index of the next file nobody has claimed. */
  next: Int32Array;
}

/** Results a worker posts: the parse results of the files from `start` on, in order. */
export interface ParsedBatch {
  start: number;
  results: ParseResult[];
}

/** How {@link parseReleaseFiles} shares the work. */
export interface ParseThreads {
  /** Threads in all, this one included; default: the machine's parallelism. */
  threads?: number;
  /** Whether this thread parses too (default), or only the workers do. */
  parseHere?: boolean;
}

/**
 * Reads and parses release files, in input order. Large archives are shared between this thread
 * and `threads - 1` worker threads: parsing Markdown is CPU-bound, and a city's whole archive is
 * rebuilt at once. Every thread claims small batches from one shared counter, so a thread that
 * starts late (a worker loading its modules) or runs slower (a busy core) simply parses fewer.
 */
export async function parseReleaseFiles(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
  { threads = availableParallelism(), parseHere = true }: ParseThreads = {},
): Promise<ParseResult[]> {
  if (refs.length < PARALLEL_THRESHOLD || threads < 2) return parseInProcess(refs, options);
  const share: ParseShare = { refs, options, next: new Int32Array(new SharedArrayBuffer(4)) };
  const results: (ParseResult | undefined)[] = new Array(refs.length);
  const place = ({ start, results: batch }: ParsedBatch) => {
    for (const [offset, result] of batch.entries()) results[start + offset] = result;
  };
  // Workers start first so that they load their modules while this thread is already parsing.
  const workerCount = parseHere ? threads - 1 : threads;
  const workers = Promise.all(Array.from({ length: workerCount }, () => runWorker(share, place)));
  // A worker that fails while this thread parses is reported below, not as an unhandled rejection.
  workers.catch(() => undefined);
  if (parseHere) await parseClaimed(share, place, true);
  await workers;
  return results.map((result, index) => {
    if (!result) throw new Error(`no thread parsed ${refs[index]?.displayPath}`);
    return result;
  });
}

/** Parses files one after another on this thread. */
export async function parseInProcess(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
): Promise<ParseResult[]> {
  return refs.map((ref) => parseFile(ref, options));
}

/**
 * Claims batches from `share.next` until none are left, parsing each and handing it to `deliver`.
 * With `yieldBetween`, waits for the event loop after each batch so that batches posted by workers
 * are taken in while parsing goes on, instead of all at the end.
 */
export async function parseClaimed(
  share: ParseShare,
  deliver: (batch: ParsedBatch) => void,
  yieldBetween: boolean,
): Promise<void> {
  const { refs, options, next } = share;
  for (;;) {
    const start = Atomics.add(next, 0, CLAIM_BATCH);
    if (start >= refs.length) return;
    const end = Math.min(start + CLAIM_BATCH, refs.length);
    const results: ParseResult[] = [];
    for (let index = start; index < end; index++) {
      results.push(parseFile(refs[index] as ReleaseFileRef, options));
    }
    deliver({ start, results });
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

function parseFile(ref: ReleaseFileRef, options: ParseOptions): ParseResult {
  // Synchronous reads: each promise-based readFile costs ~10 times the CPU of a readFileSync, and
  // nothing else waits on this thread while it parses.
  const buffer = readFileSync(ref.displayPath);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return parseRelease(ref.relativePath, bytes, options);
}

function runWorker(share: ParseShare, deliver: (batch: ParsedBatch) => void): Promise<void> {
  const entry = new URL(`./parse-worker${extensionOf(import.meta.url)}`, import.meta.url).href;
  // Under tsx (the CLI's runner) a worker does not inherit the TypeScript loader on Node 20, so
  // it registers it before importing the entry; compiled JavaScript imports the entry directly.
  const source = import.meta.url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: share });
    // Batches, then `null` once no file is left to claim.
    worker.on('message', (batch: ParsedBatch | null) => {
      if (batch === null) resolve();
      else deliver(batch);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`release parser worker exited with code ${code} before it was done`));
    });
  });
}

function extensionOf(url: string): string {
  return url.slice(url.lastIndexOf('.'));
}
