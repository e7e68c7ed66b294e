import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectStore } from '../shared/ports.js';

/** What a folder sync did. */
export interface FolderSyncResult {
  uploaded: string[];
  deleted: string[];
}

/**
 * Makes the objects under `prefix` mirror the `.md` files under `dir` (recursively): uploads new
 * and changed files (compared by MD5 with the object's ETag) and deletes objects whose file is
 * gone. Each upload and delete is an ordinary S3 request, so the bucket's events follow.
 */
export async function syncFolder(
  dir: string,
  store: ObjectStore,
  prefix: string,
): Promise<FolderSyncResult> {
  const local = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const path = join(entry.parentPath, entry.name);
    local.set(prefix + relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  const remote = new Map<string, string>();
  for await (const summary of store.list(prefix)) {
    if (summary.key.endsWith('.md')) remote.set(summary.key, summary.etag);
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
