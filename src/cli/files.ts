import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { SiteFile } from '../site/config.js';

/** A release file found on disk: where it is, and its path relative to the releases root. */
export interface ReleaseFileRef {
  /** Path as the user can find it (the root joined with the relative path). */
  displayPath: string;
  /** `/`-separated path relative to the releases root: the release's identity. */
  relativePath: string;
}

/** Every `.md` file under `root`, recursively, sorted by relative path for a deterministic build. */
export async function findReleaseFiles(root: string): Promise<ReleaseFileRef[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const refs: ReleaseFileRef[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.md')) continue;
    // `parentPath` is the Node 20.12+ name; `path` the older one.
    const parent = (entry as { parentPath?: string }).parentPath ?? entry.path;
    const full = join(parent, entry.name);
    refs.push({ displayPath: full, relativePath: relative(root, full).split(sep).join('/') });
  }
  return refs.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}

/** Reads a file's raw bytes; decoding is the parser's job. */
export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/**
 * Writes site files under `outDir`, creating each folder once. Synchronous writes on purpose: a
 * promise-based writeFile costs several times the CPU of a writeFileSync (a full build writes
 * 10,000+ files), and the CLI has nothing else to do while it writes.
 */
export class SiteWriter {
  private readonly folders = new Set<string>();

  constructor(readonly outDir: string) {}

  /** Writes one file, replacing what is there. */
  write(file: SiteFile): void {
    const path = join(this.outDir, file.path);
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    writeFileSync(path, file.body);
  }
}

/** Writes `files` under `outDir` with a {@link SiteWriter}. */
export async function writeSiteFiles(outDir: string, files: Iterable<SiteFile>): Promise<void> {
  const writer = new SiteWriter(outDir);
  for (const file of files) writer.write(file);
}
