import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHiddenName, isReleaseSourcePath } from '../release/source-files.js';
import type { ObjectStore } from '../shared/ports.js';

/** What a folder sync did. */
export interface FolderSyncResult {
  uploaded: string[];
  deleted: string[];
}

/**
 * Makes the objects under `prefix` mirror the files under `dir` (recursively), release files and
 * the pictures and attachments beside them, as staff upload both: uploads new and changed files
 * (compared by MD5 with the object's ETag) and deletes objects whose file is gone. Hidden files
 * and folders (`.git`, `.DS_Store`) stay out. Each upload and delete is an ordinary S3 request,
 * so the bucket's events follow. `options.skip` leaves out files under that relative folder
 * (e.g. `drafts/`, synced on its own).
 */
export async function syncFolder(
  dir: string,
  store: ObjectStore,
  prefix: string,
  options: { skip?: string } = {},
): Promise<FolderSyncResult> {
  const local = new Map<string, Buffer>();
  for (const path of await visibleFiles(dir)) {
    if (options.skip !== undefined && path.startsWith(options.skip)) continue;
    local.set(prefix + path, await readFile(join(dir, path)));
  }
  const remote = new Map<string, string>();
  for await (const summary of store.list(prefix)) {
    const path = summary.key.slice(prefix.length);
    if (options.skip !== undefined && path.startsWith(options.skip)) continue;
    if (!path.split('/').some(isHiddenName)) remote.set(summary.key, summary.etag);
  }
  const result: FolderSyncResult = { uploaded: [], deleted: [] };
  const work: (() => Promise<void>)[] = [];
  for (const [key, body] of local) {
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    if (remote.get(key) === etag) continue;
    work.push(async () => {
      const markdown = isReleaseSourcePath(key.slice(prefix.length));
      await store.put(key, body, markdown ? { contentType: 'text/markdown; charset=utf-8' } : {});
      result.uploaded.push(key);
    });
  }
  for (const key of remote.keys()) {
    if (local.has(key)) continue;
    work.push(async () => {
      await store.delete(key);
      result.deleted.push(key);
    });
  }
  // A few at a time: each upload fans out into a publishing run.
  const queue = [...work];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    }),
  );
  result.uploaded.sort();
  result.deleted.sort();
  return result;
}

/**
 * Every file under `dir` (recursively) whose path has no hidden name, `/`-separated, sorted.
 * Hidden folders are not entered at all (a `.git` folder can hold far more files than the rest).
 */
async function visibleFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string, relativeFolder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (isHiddenName(entry.name)) continue;
      const relativePath = relativeFolder + entry.name;
      if (entry.isDirectory()) await walk(join(folder, entry.name), `${relativePath}/`);
      else if (entry.isFile()) files.push(relativePath);
    }
  };
  await walk(dir, '');
  return files.sort();
}
