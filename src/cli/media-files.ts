import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaLookup } from '../media/resolve.js';

/** A file under the releases folder, read only when asked. */
export interface DiskFile {
  size: number;
  read(): Uint8Array;
}

/**
 * Finds media files under the releases folder `root` the way the S3 bucket would: by exact name
 * (letter case counts, as in S3, even on a file system that ignores it), Unicode normalization
 * aside (macOS writes `ä` decomposed). Folders are listed once.
 */
export function diskMediaLookup(
  root: string,
): MediaLookup & { source(path: string): DiskFile | undefined } {
  const folders = new Map<string, Map<string, string>>();
  const namesIn = (folder: string) => {
    let names = folders.get(folder);
    if (names === undefined) {
      names = new Map();
      try {
        for (const name of readdirSync(join(root, folder))) names.set(name.normalize('NFC'), name);
      } catch {
        // No such folder: no files in it.
      }
      folders.set(folder, names);
    }
    return names;
  };
  const source = (sourcePath: string): DiskFile | undefined => {
    const cut = sourcePath.lastIndexOf('/');
    const folder = sourcePath.slice(0, cut + 1);
    const actual = namesIn(folder).get(sourcePath.slice(cut + 1));
    if (actual === undefined) return undefined;
    const full = join(root, folder, actual);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) return undefined;
    return { size: stat.size, read: () => readFileSync(full) };
  };
  return Object.assign((sourcePath: string) => source(sourcePath), { source });
}
