import { readFileSync } from 'node:fs';
import { attachMedia } from '../release/attach-media.js';
import { type ParseOptions, parseRelease } from '../release/parse.js';
import type { ParseResult } from '../release/types.js';
import type { ReleaseFileRef } from '../shared/release-files.js';
import { diskMediaLookup } from './media-files.js';

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

/** Results a thread hands over: the parse results of the files from `start` on, in order. */
export interface ParsedBatch {
  start: number;
  results: ParseResult[];
}

/** Parses files one after another on this thread. */
export async function parseInProcess(
  refs: readonly ReleaseFileRef[],
  options: ParseOptions,
): Promise<ParseResult[]> {
  const results: ParseResult[] = [];
  const media = new MediaFolders();
  for (const ref of refs) results.push(await parseFile(ref, options, media));
  return results;
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
  const media = new MediaFolders();
  for (;;) {
    const start = Atomics.add(next, 0, CLAIM_BATCH);
    if (start >= refs.length) return;
    const end = Math.min(start + CLAIM_BATCH, refs.length);
    const results: ParseResult[] = [];
    for (let index = start; index < end; index++) {
      results.push(await parseFile(refs[index] as ReleaseFileRef, options, media));
    }
    deliver({ start, results });
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Parses one file and checks the media files beside it that it references (read from the same
 * releases folder), so the release carries their facts and the warnings about those not published.
 */
async function parseFile(
  ref: ReleaseFileRef,
  options: ParseOptions,
  media: MediaFolders,
): Promise<ParseResult> {
  // Synchronous reads: each promise-based readFile costs ~10 times the CPU of a readFileSync, and
  // nothing else waits on this thread while it parses.
  const buffer = readFileSync(ref.displayPath);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const result = parseRelease(ref.relativePath, bytes, options);
  if (!result.ok || result.release.media === undefined) return result;
  const attached = await attachMedia(result.release, media.lookup(releasesRoot(ref)));
  return {
    ok: true,
    release: attached.release,
    warnings: [...result.warnings, ...attached.warnings],
  };
}

/** The releases folder a file was found in: its path without the path relative to it. */
export function releasesRoot(ref: ReleaseFileRef): string {
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
