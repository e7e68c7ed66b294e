import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ParseOptions, parseRelease } from '../release/parse.js';
import type { ParseResult } from '../release/types.js';
import { type ReleaseFileRef, readBytes } from './files.js';

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 200;

/**
 * Reads and parses release files, in input order. Large archives are split across worker threads
 * (one per core): parsing Markdown is CPU-bound, and a city's whole archive is rebuilt at once.
 */
export async function parseReleaseFiles(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
  threads = availableParallelism(),
): Promise<ParseResult[]> {
  if (refs.length < PARALLEL_THRESHOLD || threads < 2) return parseInProcess(refs, options);
  const chunks = Array.from({ length: threads }, (_, worker) =>
    refs.filter((_, index) => index % threads === worker),
  );
  const parsed = await Promise.all(chunks.map((chunk) => parseInWorker(chunk, options)));
  return refs.map((_, index) => {
    const result = parsed[index % threads]?.[Math.floor(index / threads)];
    if (!result) throw new Error(`worker lost the result for ${refs[index]?.displayPath}`);
    return result;
  });
}

/** Parses files one after another on this thread. */
export async function parseInProcess(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
): Promise<ParseResult[]> {
  const results: ParseResult[] = [];
  for (const ref of refs) {
    results.push(parseRelease(ref.relativePath, await readBytes(ref.displayPath), options));
  }
  return results;
}

function parseInWorker(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
): Promise<ParseResult[]> {
  const entry = new URL(`./parse-worker${extensionOf(import.meta.url)}`, import.meta.url).href;
  // Under tsx (the CLI's runner) a worker does not inherit the TypeScript loader on Node 20, so
  // it registers it before importing the entry; compiled JavaScript imports the entry directly.
  const source = import.meta.url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { refs, options } });
    worker.once('message', (results: ParseResult[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`release parser worker exited with code ${code}`));
    });
  });
}

function extensionOf(url: string): string {
  return url.slice(url.lastIndexOf('.'));
}
