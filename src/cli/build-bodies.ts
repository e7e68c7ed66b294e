import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParseResult, Release } from '../release/types.js';

/** Where a body is in the spill file: byte offset and length of its UTF-8. */
export type BodySpan = readonly [offset: number, length: number];

/**
 * What a parsing thread needs to spill bodies itself: the spill file's descriptor (the process's,
 * valid on every thread) and its end, on shared memory, where each thread reserves the bytes it
 * writes.
 */
export interface SpillTarget {
  fd: number;
  /** One BigInt64 on a SharedArrayBuffer: the first byte no thread has reserved. */
  end: BigInt64Array;
}

/**
 * The bodies (`contentHtml`) of a full build's releases, out of memory: each is appended to a
 * spill file by the thread that parsed it ({@link spillBody}), so a body never travels between
 * threads nor stays in a heap, and read back for the two things that need it, the
 * release's own page and the subscription feeds (the newest `feedLimit` of each scope). Everything
 * else a build writes (lists, archive pages, archive feeds, sitemaps) needs only the metadata that
 * stays in memory, so memory no longer grows with the bodies (~6 KB a release; 300 MB at 50,000).
 *
 * The file is removed from its folder as soon as it is open: it lives while the build's process
 * holds it (worker threads read the same descriptor) and a killed build leaves nothing behind
 * (unless killed between those two calls: then an empty file in the temporary folder).
 * Bodies are keyed by `sourcePath`, which is unique in a build and kept by every whole-set step.
 */
export class ReleaseBodies {
  private readonly spans = new Map<string, BodySpan>();
  /** Where the parsing threads write the bodies. */
  readonly target: SpillTarget;

  private constructor(
    /** The spill file, open for reading and writing; readable from every thread. */
    readonly fd: number,
  ) {
    this.target = { fd, end: new BigInt64Array(new SharedArrayBuffer(8)) };
  }

  /** Opens an empty spill file in the system's temporary folder. */
  static open(folder = tmpdir()): ReleaseBodies {
    const dir = mkdtempSync(join(folder, 'newsroom-bodies-'));
    try {
      return new ReleaseBodies(openSync(join(dir, 'bodies'), 'w+'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Notes where the body of the release from `sourcePath` was spilled. */
  keep(sourcePath: string, span: BodySpan): void {
    this.spans.set(sourcePath, span);
  }

  /** Where `release`'s body is, for a thread that reads it itself ({@link readBody}). */
  span(release: Release): BodySpan {
    const span = this.spans.get(release.sourcePath);
    if (span === undefined) throw new Error(`no body was kept for ${release.sourcePath}`);
    return span;
  }

  /** `release` with its body read back. */
  withBody(release: Release): Release {
    return { ...release, contentHtml: readBody(this.fd, this.span(release)) };
  }

  /** Closes the spill file (its space is freed with it). */
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Writes the body of `result`'s release into `target` (on any thread): the result without its
 * body, and where the body is. A rejected result is returned as it is, without a span.
 */
export function spillBody(
  result: ParseResult,
  target: SpillTarget,
): { result: ParseResult; span?: BodySpan } {
  if (!result.ok) return { result };
  const { release } = result;
  const bytes = Buffer.from(release.contentHtml, 'utf8');
  const offset = Number(Atomics.add(target.end, 0, BigInt(bytes.byteLength)));
  let written = 0;
  while (written < bytes.byteLength) {
    written += writeSync(target.fd, bytes, written, bytes.byteLength - written, offset + written);
  }
  return {
    result: { ...result, release: { ...release, contentHtml: '' } },
    span: [offset, bytes.byteLength],
  };
}

/** The body at `span` of the spill file open as `fd` (on any thread of the process). */
export function readBody(fd: number, [offset, length]: BodySpan): string {
  if (length === 0) return '';
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const got = readSync(fd, bytes, read, length - read, offset + read);
    if (got === 0) throw new Error(`the spilled bodies end before byte ${offset + length}`);
    read += got;
  }
  return bytes.toString('utf8');
}
