import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ParseResult, Release, ReleaseProblem, ReleaseWarning } from '../release/types.js';
import type { PlannedRelease } from '../site/build.js';

/**
 * Where a release is in the spill file: the byte offset of its record, the length of its
 * metadata (V8-serialized, `contentHtml` empty) and of its body (UTF-8) right after it.
 */
type SpillSpan = readonly [offset: number, metaLength: number, bodyLength: number];

/**
 * What a full build keeps in memory of a release while the rest of it waits in the spill file:
 * what orders, groups, names and links it (a {@link PlannedRelease}), its media files (few
 * releases have any), and where the rest is.
 */
export interface ReleaseStub extends PlannedRelease, Pick<Release, 'media'> {
  spilled: SpillSpan;
}

/** Whether `release` is a stub of a spilled release rather than a whole one. */
export function isStub(release: Release | ReleaseStub): release is ReleaseStub {
  return 'spilled' in release;
}

/** A parse result whose release was spilled: its stub instead of the whole release. */
export type SpilledResult =
  | { ok: true; release: ReleaseStub; warnings: ReleaseWarning[] }
  | { ok: false; problem: ReleaseProblem };

/**
 * What a parsing thread needs to spill releases itself: the spill file's descriptor (the
 * process's, valid on every thread) and its end, on shared memory, where each thread reserves the
 * bytes it writes.
 */
export interface SpillTarget {
  fd: number;
  /** One BigInt64 on a SharedArrayBuffer: the first byte no thread has reserved. */
  end: BigInt64Array;
}

/**
 * A full build's releases, out of memory: the thread that parsed a release appends it to a spill
 * file ({@link spillRelease}) and hands over only its {@link ReleaseStub}, so memory holds ~1 KB
 * a release instead of ~2.5 KB (and ~6 KB more before the bodies were spilled). A release is read
 * back whole ({@link readRelease}) where a file shows it: its own page (by whichever thread writes
 * it), the subscription feeds, the front page and its month's archive files, a month at a time.
 *
 * The file is removed from its folder as soon as it is open: it lives while the build's process
 * holds it (worker threads read the same descriptor) and a killed build leaves nothing behind
 * (unless killed between those two calls: then an empty file in the temporary folder).
 */
export class ReleaseSpill {
  /** Where the parsing threads write the releases. */
  readonly target: SpillTarget;

  private constructor(
    /** The spill file, open for reading and writing; readable from every thread. */
    readonly fd: number,
  ) {
    this.target = { fd, end: new BigInt64Array(new SharedArrayBuffer(8)) };
  }

  /** Opens an empty spill file in the system's temporary folder. */
  static open(folder = tmpdir()): ReleaseSpill {
    const dir = mkdtempSync(join(folder, 'newsroom-spill-'));
    try {
      return new ReleaseSpill(openSync(join(dir, 'releases'), 'w+'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The whole releases of `stubs`, in order, with their bodies or with `contentHtml` empty. */
  read(stubs: readonly ReleaseStub[], withBodies: boolean): Release[] {
    return stubs.map((stub) => readRelease(this.fd, stub, withBodies));
  }

  /** Closes the spill file (its space is freed with it). */
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Writes the release of `result` into `target` (on any thread) and returns the result with the
 * release's stub instead. A rejected result is returned as it is.
 */
export function spillRelease(result: ParseResult, target: SpillTarget): SpilledResult {
  if (!result.ok) return result;
  const { release } = result;
  // `contentHtml` stays in the metadata, empty, so a release read back keeps its keys' order.
  const meta = serialize({ ...release, contentHtml: '' });
  const body = Buffer.from(release.contentHtml, 'utf8');
  const bytes = Buffer.concat([meta, body]);
  const offset = Number(Atomics.add(target.end, 0, BigInt(bytes.byteLength)));
  let written = 0;
  while (written < bytes.byteLength) {
    written += writeSync(target.fd, bytes, written, bytes.byteLength - written, offset + written);
  }
  const spilled = [offset, meta.byteLength, body.byteLength] as const;
  return { ok: true, release: stubOf(release, spilled), warnings: result.warnings };
}

/** The stub of `release`, spilled at `spilled`: a fresh object, so nothing else stays reachable. */
function stubOf(release: Release, spilled: SpillSpan): ReleaseStub {
  const { sourcePath, slug, url, title, lang, category, categorySlug, published } = release;
  const stub: ReleaseStub = {
    sourcePath,
    slug,
    url,
    title,
    lang,
    category,
    categorySlug,
    published,
    spilled,
  };
  if (release.translationKey !== undefined) stub.translationKey = release.translationKey;
  // For the media files the build copies: few releases have any.
  if (release.media !== undefined) stub.media = release.media;
  return stub;
}

/**
 * The release of `stub` read back from the spill file open as `fd` (on any thread of the
 * process), with the decisions the site plan took on the stub (its slug and URL, its
 * translations) and its body or an empty `contentHtml`.
 */
export function readRelease(fd: number, stub: ReleaseStub, withBody: boolean): Release {
  const [offset, metaLength, bodyLength] = stub.spilled;
  const bytes = readBytes(fd, offset, metaLength + (withBody ? bodyLength : 0));
  const meta = deserialize(bytes.subarray(0, metaLength)) as Release;
  const whole: Release = {
    ...meta,
    slug: stub.slug,
    url: stub.url,
    contentHtml: withBody ? bytes.toString('utf8', metaLength) : '',
  };
  if (stub.translations !== undefined) whole.translations = stub.translations;
  return whole;
}

function readBytes(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const got = readSync(fd, bytes, read, length - read, offset + read);
    if (got === 0) throw new Error(`the spilled releases end before byte ${offset + length}`);
    read += got;
  }
  return bytes;
}
