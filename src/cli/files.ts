import { constants, mkdirSync, writeFileSync } from 'node:fs';
import { access, mkdir, stat, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { SiteFile } from '../site/config.js';

/**
 * Writes site files under `outDir`, creating each folder once. Synchronous writes on purpose: a
 * promise-based writeFile costs several times the CPU of a writeFileSync (a full build writes
 * 10,000+ files), and the CLI has nothing else to do while it writes.
 */
export class SiteWriter {
  private readonly folders = new Set<string>();

  constructor(readonly outDir: string) {}

  /** Writes one file (a site file, or a media file's bytes), replacing what is there. */
  write(file: Pick<SiteFile, 'path'> & { body: string | Uint8Array }): void {
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

/** A path on the command line that cannot be used as asked; the CLI prints it and exits 2. */
export class PathError extends Error {
  override readonly name = 'PathError';
}

/**
 * File systems that hold no files (Linux `statfs` magic numbers): proc, sysfs, devpts, cgroup,
 * cgroup2, debugfs, securityfs, tracefs, configfs, bpf, pstore. Writing into them fails or, worse,
 * loops (a recursive mkdir under /proc never returns), so a target on one is refused up front.
 */
const SPECIAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
  [0x74726163, 'tracefs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
]);

/**
 * Checks that `path` (given as `flag`) is a folder of release files.
 *
 * @throws {PathError} saying plainly that it does not exist or is a file.
 */
export async function checkReleasesFolder(path: string, flag = '--releases'): Promise<void> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new PathError(`the folder "${path}" (${flag}) does not exist`);
    throw error;
  });
  if (!found.isDirectory()) {
    throw new PathError(
      `"${path}" is a file, not a folder: ${flag} takes the folder that holds the release files (to check one file, use newsroom validate FILE)`,
    );
  }
}

/**
 * Makes sure the output folder `path` (given as `flag`) exists and can be written, creating the
 * missing folders one at a time, before any work is done: a file in its place, a special file
 * system (`/proc`), a read-only file system or missing permission fail at once with a plain
 * message.
 *
 * @throws {PathError}
 */
export async function prepareOutputFolder(path: string, flag = '--out'): Promise<void> {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    const found = await stat(existing).catch(() => undefined);
    if (found !== undefined) {
      if (!found.isDirectory()) {
        throw new PathError(
          `"${existing}" is a file, not a folder: ${flag} takes a folder to write into`,
        );
      }
      break;
    }
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  const special = SPECIAL_FILE_SYSTEMS.get(Number((await statfs(existing)).type));
  if (special !== undefined) {
    throw new PathError(
      `"${path}" is on a special file system (${special}) that holds no files: choose a folder on a disk for ${flag}`,
    );
  }
  await access(existing, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new PathError(`cannot write into "${existing}" (${flag}): ${plainCause(error)}`);
  });
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') {
        throw new PathError(`cannot create the folder "${folder}" (${flag}): ${plainCause(error)}`);
      }
    });
  }
}

/** What a file-system error code means, in words. */
export function plainCause(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOENT':
      return 'it does not exist';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EEXIST':
      return 'something is already there';
    default:
      return error.code ?? error.message;
  }
}
