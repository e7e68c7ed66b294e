import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isReleaseSourcePath } from '../release/source-files.js';
import type { ObjectStore } from '../shared/ports.js';
import { findReleaseFiles } from '../shared/release-files.js';

/** What a folder sync did. */
export interface FolderSyncResult {
  uploaded: string[];
  deleted: string[];
}

/**
 * Makes the objects under `prefix` mirror the release files under `dir` (recursively): uploads new
 * and changed files (compared by MD5 with the object's ETag) and deletes objects whose file is
 * gone. Each upload and delete is an ordinary S3 request, so the bucket's events follow.
 * `options.skip` leaves out files under that relative folder (e.g. `drafts/`, synced on its own).
 */
export async function syncFolder(
  dir: string,
  store: ObjectStore,
  prefix: string,
  options: { skip?: string } = {},
): Promise<FolderSyncResult> {
  const local = new Map<string, Buffer>();
  for (const ref of await findReleaseFiles(dir)) {
    if (options.skip !== undefined && ref.relativePath.startsWith(options.skip)) continue;
    local.set(prefix + ref.relativePath, await readFile(ref.displayPath));
  }
  const remote = new Map<string, string>();
  for await (const summary of store.list(prefix)) {
    if (isReleaseSourcePath(summary.key.slice(prefix.length))) {
      remote.set(summary.key, summary.etag);
    }
  }
  const result: FolderSyncResult = { uploaded: [], deleted: [] };
  const work: (() => Promise<void>)[] = [];
  for (const [key, body] of local) {
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    if (remote.get(key) === etag) continue;
    work.push(async () => {
      await store.put(key, body, { contentType: 'text/markdown; charset=utf-8' });
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
