import { readFileSync } from 'node:fs';
import { attachMedia } from '../release/attach-media.js';
import { type ParseOptions, parseRelease } from '../release/parse.js';
import type { ParseResult } from '../release/types.js';
import type { ReleaseFileRef } from '../shared/release-files.js';
import { type SpilledResult, type SpillTarget, spillRelease } from './build-spill.js';
import { diskMediaLookup } from './media-files.js';
import {
  type CacheLookup,
  CacheReader,
  type CacheRecord,
  cacheKey,
  cacheRecord,
} from './parse-cache.js';

/**
 * Files claimed at a time from the shared counter: small enough that the threads finish together,
 * large enough that claiming and posting results cost next to nothing.
 */
const CLAIM_BATCH = 32;

/** What a parser thread needs to take its share of the files. */
export interface ParseShare {
  refs: readonly ReleaseFileRef[];
  options: ParseOptions;
  /** One Int32 on a SharedArrayBuffer: the index of the next file nobody has claimed. */
  next: Int32Array;
  /**
   * With a parse cache: the last build's results to look files up in (if any); every result then
   * comes back with its {@link CacheRecord} for the next pack.
   */
  cache?: { lookup: CacheLookup | undefined };
  /** Where to spill the releases: each result then comes back with its release's stub. */
  spill?: SpillTarget;
}

/** Results a thread hands over: the parse results of the files from `start` on, in order. */
export interface ParsedBatch<R extends ParseResult | SpilledResult = ParseResult> {
  start: number;
  results: R[];
  /** The batch's results for the next cache pack (with a cache only). */
  records: CacheRecord[];
  /** How many of the batch's results came from the cache. */
  cached: number;
}

/** Parses files one after another on this thread. */
export async function parseInProcess(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
): Promise<ParseResult[]> {
  const results: ParseResult[] = [];
  const share = { refs, options, next: new Int32Array(1) };
  await parseClaimed(
    share,
    (result) => result,
    (batch) => results.push(...batch.results),
    false,
  );
  return results;
}

/** How the thread that parsed a file hands its result over: spilled when `share` says so. */
export function finishFor(share: ParseShare): (result: ParseResult) => ParseResult | SpilledResult {
  const { spill } = share;
  return spill === undefined ? (result) => result : (result) => spillRelease(result, spill);
}

/**
 * Claims batches from `share.next` until none are left, parsing each, passing each result through
 * `finish` (e.g. {@link finishFor}) and handing the batch to `deliver`. With `yieldBetween`, waits
 * for the event loop after each batch so that batches posted by workers are taken in while
 * parsing goes on, instead of all at the end.
 */
export async function parseClaimed<R extends ParseResult | SpilledResult>(
  share: ParseShare,
  finish: (result: ParseResult) => R,
  deliver: (batch: ParsedBatch<R>) => void,
  yieldBetween: boolean,
): Promise<void> {
  const { refs, options, next, cache } = share;
  const media = new MediaFolders();
  const reader = cache?.lookup && new CacheReader(cache.lookup);
  for (;;) {
    const start = Atomics.add(next, 0, CLAIM_BATCH);
    if (start >= refs.length) return;
    const end = Math.min(start + CLAIM_BATCH, refs.length);
    const batch: ParsedBatch<R> = { start, results: [], records: [], cached: 0 };
    for (let index = start; index < end; index++) {
      const ref = refs[index] as ReleaseFileRef;
      const { result, record, cached } = parseOrRecall(ref, readBytes(ref), options, cache, reader);
      if (record) batch.records.push(record);
      if (cached) batch.cached += 1;
      batch.results.push(finish(await withMedia(ref, result, media)));
    }
    deliver(batch);
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The file's result: from the last cache pack when it has the file's key, else parsed here. With
 * a cache, also the file's entry for the next pack (a miss is serialized by the thread that
 * parsed it, so the work is shared like the parsing).
 */
function parseOrRecall(
  ref: ReleaseFileRef,
  bytes: Uint8Array,
  options: ParseOptions,
  cache: ParseShare['cache'],
  reader: CacheReader | undefined,
): { result: ParseResult; record?: CacheRecord; cached: boolean } {
  if (cache === undefined) {
    return { result: parseRelease(ref.relativePath, bytes, options), cached: false };
  }
  const key = cacheKey(ref.relativePath, bytes);
  const hit = reader?.get(key);
  if (hit) return { result: hit, record: { key }, cached: true };
  const result = parseRelease(ref.relativePath, bytes, options);
  return { result, record: cacheRecord(key, result), cached: false };
}

/** A release file's bytes. */
function readBytes(ref: ReleaseFileRef): Uint8Array {
  // Synchronous reads: each promise-based readFile costs ~10 times the CPU of a readFileSync, and
  // nothing else waits on this thread while it parses.
  const buffer = readFileSync(ref.displayPath);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Checks the media files beside the release that it references (read from the same releases
 * folder), so the release carries their facts and the warnings about those not published. Done
 * on every build, cached or not: the files can change without the release changing.
 */
async function withMedia(
  ref: ReleaseFileRef,
  result: ParseResult,
  media: MediaFolders,
): Promise<ParseResult> {
  if (!result.ok || result.release.media === undefined) return result;
  const attached = await attachMedia(result.release, media.lookup(releasesRoot(ref)));
  return {
    ok: true,
    release: attached.release,
    warnings: [...result.warnings, ...attached.warnings],
  };
}

/** The releases folder a file was found in: its path without the path relative to it. */
function releasesRoot(ref: ReleaseFileRef): string {
  return ref.displayPath.slice(0, ref.displayPath.length - ref.relativePath.length) || '.';
}

/**
 * One media lookup per releases folder for a whole run, so each folder is listed once however
 * many releases refer to files in it.
 */
class MediaFolders {
  private readonly lookups = new Map<string, ReturnType<typeof diskMediaLookup>>();

  lookup(root: string): ReturnType<typeof diskMediaLookup> {
    let lookup = this.lookups.get(root);
    if (lookup === undefined) {
      lookup = diskMediaLookup(root);
      this.lookups.set(root, lookup);
    }
    return lookup;
  }
}
