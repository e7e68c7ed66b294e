import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { ParseOptions } from '../release/parse.js';
import type { ParseResult } from '../release/types.js';

/**
 * The build's parse cache: `parseRelease` results of earlier builds, so that a build parses only
 * the files that changed. One pack file per parser: its name is a hash of the code that parsed
 * (every file of the CLI bundle, or of src/ and package-lock.json when run from the sources), the
 * Node version (the pack holds V8-serialized values) and the parse options, so a new version, a
 * changed sanitizer or another site never reads an old result. Inside, each result is found by
 * the hash of the file's path and bytes: an edit is a new key.
 *
 * Layout of a pack: the serialized results one after another, then the index (key → offset and
 * length, V8-serialized), then the index's length (8 bytes) and {@link MAGIC}. A pack is written
 * beside the old one and renamed over it when complete, so a killed build leaves the old pack or
 * the new one, never half of one; a pack or a result that cannot be read is a miss. Writing the
 * pack never holds more than one result in memory.
 */
const MAGIC = 'NRPCACHE';
const TRAILER = 16;

/** Where a result is in the pack: byte offset and length. */
export type CacheSpan = readonly [offset: number, length: number];

/**
 * What the parsing threads need to look results up: the old pack, open (a descriptor is the
 * process's, so every thread reads the very file the index came from, even if another build
 * renames a new pack over its name meanwhile), and its index.
 */
export interface CacheLookup {
  fd: number;
  index: ReadonlyMap<string, CacheSpan>;
}

/** A result for the next pack: its key, and its serialized bytes unless the old pack has them. */
export interface CacheRecord {
  key: string;
  bytes?: Uint8Array;
}

/** The key of a release file in a pack: the hash of its path and its bytes. */
export function cacheKey(relativePath: string, bytes: Uint8Array): string {
  return createHash('sha256').update(relativePath).update('\0').update(bytes).digest('base64url');
}

/** Serializes a parse result for the pack. */
export function cacheRecord(key: string, result: ParseResult): CacheRecord {
  return { key, bytes: serialize(result) };
}

/** Reads results from the old pack on a parsing thread. A result that cannot be read is a miss. */
export class CacheReader {
  constructor(private readonly lookup: CacheLookup) {}

  /** The cached result for `key`, or `undefined` on a miss. */
  get(key: string): ParseResult | undefined {
    const span = this.lookup.index.get(key);
    if (span === undefined) return undefined;
    try {
      const bytes = new Uint8Array(span[1]);
      if (readSync(this.lookup.fd, bytes, 0, span[1], span[0]) !== span[1]) return undefined;
      return deserialize(bytes) as ParseResult;
    } catch {
      return undefined;
    }
  }
}

/**
 * The pack of this parser and these options in `folder` (created if missing): the old one to look
 * results up in, if any, and the new one being written. Every failure turns the cache off for the
 * build (it is an optimisation; the build goes on without it).
 */
export class ParseCache {
  /** The new pack's index: results written to it so far. */
  private readonly index = new Map<string, CacheSpan>();
  /** Keys of the old pack's results that this build used, copied into the new pack at the end. */
  private readonly kept = new Set<string>();
  private fd: number | undefined;
  private offset = 0;
  private broken = false;
  private oldClosed = false;
  /** Where the new pack is written: beside the old one, named after this process. */
  private readonly stagingPath: string;

  private constructor(
    private readonly folder: string,
    private readonly pack: string,
    /** The old pack, for the parsing threads; `undefined` when there is none. */
    readonly lookup: CacheLookup | undefined,
  ) {
    this.stagingPath = `${pack}.${process.pid}.tmp`;
  }

  /** Opens the cache in `folder`, or returns `undefined` when it cannot be used. */
  static async open(folder: string, options: ParseOptions): Promise<ParseCache | undefined> {
    try {
      await mkdir(folder, { recursive: true });
      removeLeftOvers(folder, (name) => isAbandoned(name));
      const pack = join(folder, `parse-${parserIdentity(options)}.pack`);
      return new ParseCache(folder, pack, openPack(pack));
    } catch {
      return undefined;
    }
  }

  /** Takes a batch's records: new results are written to the new pack, used old ones noted. */
  add(records: readonly CacheRecord[]): void {
    if (this.broken) return;
    try {
      for (const { key, bytes } of records) {
        if (bytes === undefined) this.kept.add(key);
        else if (!this.index.has(key)) this.append(key, bytes);
      }
    } catch {
      this.discard();
    }
  }

  /**
   * Finishes the new pack (the old pack's results this build used, copied over, then the index)
   * and puts it in place of the old one, removing other parsers' packs. When this build used every
   * old result and parsed nothing new, the old pack stays as it is.
   */
  commit(): void {
    if (this.broken) return;
    const old = this.lookup?.index;
    if (this.fd === undefined && old !== undefined && this.kept.size === old.size) {
      this.closeOld();
      return;
    }
    try {
      if (old !== undefined && this.lookup !== undefined) this.copyKept(this.lookup.fd, old);
      const fd = this.staging();
      const index = serialize(
        [...this.index].map(([key, [offset, length]]) => [key, offset, length]),
      );
      const trailer = Buffer.alloc(TRAILER);
      trailer.writeBigUInt64LE(BigInt(index.byteLength), 0);
      trailer.write(MAGIC, 8, 'latin1');
      writeSync(fd, index);
      writeSync(fd, trailer);
      closeSync(fd);
      this.fd = undefined;
      this.closeOld();
      renameSync(this.stagingPath, this.pack);
      removeLeftOvers(this.folder, (name) => name !== basename(this.pack) && isPack(name));
    } catch {
      this.discard();
    }
  }

  /** Drops the new pack (a failed build, or a write that failed); the old one stays. */
  discard(): void {
    this.broken = true;
    this.closeOld();
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {}
      this.fd = undefined;
    }
    rmSync(this.stagingPath, { force: true });
  }

  /** The new pack's file, created on first use. */
  private staging(): number {
    this.fd ??= openSync(this.stagingPath, 'w');
    return this.fd;
  }

  private append(key: string, bytes: Uint8Array): void {
    writeSync(this.staging(), bytes);
    this.index.set(key, [this.offset, bytes.byteLength]);
    this.offset += bytes.byteLength;
  }

  private copyKept(fd: number, old: ReadonlyMap<string, CacheSpan>): void {
    for (const key of this.kept) {
      const span = old.get(key);
      if (span === undefined || this.index.has(key)) continue;
      const bytes = new Uint8Array(span[1]);
      readSync(fd, bytes, 0, span[1], span[0]);
      this.append(key, bytes);
    }
  }

  /** Closes the old pack once no thread reads it any more (after parsing). */
  private closeOld(): void {
    if (this.lookup === undefined || this.oldClosed) return;
    this.oldClosed = true;
    try {
      closeSync(this.lookup.fd);
    } catch {}
  }
}

function isPack(name: string): boolean {
  return /^parse-[0-9a-f]+\.pack$/.test(name);
}

/** A new pack that a build stopped writing (killed: its process is gone). */
function isAbandoned(name: string): boolean {
  const writer = /^parse-[0-9a-f]+\.pack\.(\d+)\.tmp$/.exec(name)?.[1];
  if (writer === undefined || Number(writer) === process.pid) return false;
  try {
    process.kill(Number(writer), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeLeftOvers(folder: string, isLeftOver: (name: string) => boolean): void {
  for (const name of readdirSync(folder)) {
    if (isLeftOver(name)) rmSync(join(folder, name), { force: true });
  }
}

/** The pack at `path`, open, with its index; `undefined` when there is none or it is unreadable. */
function openPack(path: string): CacheLookup | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  const index = readIndex(fd);
  if (index === undefined) closeSync(fd);
  return index && { fd, index };
}

/** The index of the open pack `fd`, or `undefined` when it is unreadable. */
function readIndex(fd: number): Map<string, CacheSpan> | undefined {
  try {
    const size = fstatSync(fd).size;
    if (size < TRAILER) return undefined;
    const trailer = Buffer.alloc(TRAILER);
    readSync(fd, trailer, 0, TRAILER, size - TRAILER);
    if (trailer.toString('latin1', 8) !== MAGIC) return undefined;
    const length = Number(trailer.readBigUInt64LE(0));
    if (length > size - TRAILER) return undefined;
    const bytes = Buffer.alloc(length);
    readSync(fd, bytes, 0, length, size - TRAILER - length);
    const entries = deserialize(bytes) as [string, number, number][];
    const dataEnd = size - TRAILER - length;
    const index = new Map<string, CacheSpan>();
    for (const [key, offset, spanLength] of entries) {
      if (offset + spanLength <= dataEnd) index.set(key, [offset, spanLength]);
    }
    return index;
  } catch {
    return undefined;
  }
}

/** Hash of the parsing code, the Node version and the parse options (see {@link ParseCache}). */
export function parserIdentity(options: ParseOptions): string {
  const hash = createHash('sha256').update(process.version).update(serialize(options));
  for (const file of codeFiles()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

/**
 * The files whose content decides what the parser does: the CLI bundle's own files (it has the
 * dependencies inside), or, run from the TypeScript sources, every source file and the lock file
 * that pins the dependencies.
 */
export function codeFiles(): string[] {
  const here = fileURLToPath(import.meta.url);
  const root = here.endsWith('.ts') ? join(dirname(here), '..', '..') : dirname(here);
  const files = here.endsWith('.ts')
    ? [...listFiles(join(root, 'src')), join(root, 'package-lock.json')]
    : listFiles(root).filter((file) => file.endsWith('.mjs'));
  return files.sort();
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The cache folder: `NEWSROOM_BUILD_CACHE` (a folder, or `off` for none), else `dist/cache/` of
 * this checkout, beside the CLI bundle.
 */
export function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.NEWSROOM_BUILD_CACHE;
  if (value === 'off') return undefined;
  if (value !== undefined && value !== '') return value;
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? join(dirname(here), '..', '..', 'dist', 'cache')
    : join(dirname(here), '..', 'cache');
}
