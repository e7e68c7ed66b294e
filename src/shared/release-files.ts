import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHiddenName, isReleaseSourcePath } from '../release/source-files.js';

/** A release file found on disk: where it is, and its path relative to the releases root. */
export interface ReleaseFileRef {
  /** Path as the user can find it (the root joined with the relative path). */
  displayPath: string;
  /** `/`-separated path relative to the releases root: the release's identity. */
  relativePath: string;
}

/**
 * Every release file under `root` ({@link isReleaseSourcePath}), recursively, sorted by relative
 * path for a deterministic build. Hidden folders are not entered at all (a `.git` folder can hold
 * far more files than the releases).
 */
export async function findReleaseFiles(root: string): Promise<ReleaseFileRef[]> {
  const refs: ReleaseFileRef[] = [];
  const walk = async (folder: string, relativeFolder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (isHiddenName(entry.name)) return;
        const full = join(folder, entry.name);
        const relativePath = relativeFolder + entry.name;
        if (entry.isDirectory()) await walk(full, `${relativePath}/`);
        else if (entry.isFile() && isReleaseSourcePath(relativePath)) {
          refs.push({ displayPath: full, relativePath });
        }
      }),
    );
  };
  await walk(root, '');
  return refs.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}

/** Reads a file's raw bytes; decoding is the parser's job. */
export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
