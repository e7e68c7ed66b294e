import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { KeyQueue } from '../../src/shared/key-queue.js';
import {
  type ObjectStore,
  type ObjectSummary,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../src/shared/ports.js';

/** Sidecar folder (under the root) holding each object's content type and cache policy. */
const META_DIR = '.newsroom-meta';

/** A key that cannot name a file inside the store's root. */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';
  constructor(readonly key: string) {
    super(`Not a usable object key: "${key}"`);
  }
}

interface Meta {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
}

/**
 * {@link ObjectStore} over a folder: each key is a file below `root`, written atomically (temporary
 * file, then rename). ETags are quoted MD5 digests like S3's single-part ETags, and conditional
 * writes are honoured within this process (writes to one key are serialised); across processes
 * two writers can still race, so use S3 where that matters.
 */
export class FileSystemObjectStore implements ObjectStore {
  readonly #queue = new KeyQueue();

  constructor(readonly root: string) {}

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.#pathOf(key);
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const meta = await this.#readMeta(key);
    return {
      body: new Uint8Array(body),
      etag: etagOf(body),
      contentType: meta.contentType,
      lastModified: (await stat(path)).mtime,
    };
  }

  /** The object's ETag, or `undefined` when there is none. */
  async head(key: string): Promise<{ etag: string } | undefined> {
    try {
      return { etag: etagOf(await readFile(this.#pathOf(key))) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<{ etag: string }> {
    const path = this.#pathOf(key);
    return this.#queue.run(key, async () => {
      if (options.ifMatch !== undefined || options.ifNoneMatch !== undefined) {
        const current = await readFile(path).catch((error) => {
          if (isMissing(error)) return undefined;
          throw error;
        });
        const currentEtag = current === undefined ? undefined : etagOf(current);
        if (options.ifNoneMatch === '*' && currentEtag !== undefined) {
          throw new PreconditionFailedError(key);
        }
        if (options.ifMatch !== undefined && currentEtag !== options.ifMatch) {
          throw new PreconditionFailedError(key);
        }
      }
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
      await writeAtomically(path, bytes);
      const meta: Meta = {
        contentType: options.contentType,
        cacheControl: options.cacheControl,
        contentDisposition: options.contentDisposition,
      };
      await writeAtomically(this.#metaPathOf(key), Buffer.from(JSON.stringify(meta)));
      return { etag: etagOf(bytes) };
    });
  }

  async delete(key: string): Promise<void> {
    this.#pathOf(key);
    return this.#queue.run(key, async () => {
      await rm(this.#pathOf(key), { force: true });
      await rm(this.#metaPathOf(key), { force: true });
    });
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    let entries: { parentPath: string; name: string; isFile(): boolean }[];
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    const keys = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.tmp-'))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.startsWith(`${META_DIR}/`))
      .sort();
    for (const key of keys) {
      const path = this.#pathOf(key);
      const [body, info] = await Promise.all([readFile(path), stat(path)]);
      yield { key, etag: etagOf(body), size: info.size, lastModified: info.mtime };
    }
  }

  /** The cache policy stored with an object (the port's `get` does not carry it). */
  async cacheControlOf(key: string): Promise<string | undefined> {
    return (await this.#readMeta(key)).cacheControl;
  }

  #pathOf(key: string): string {
    const segments = key.split('/');
    if (
      key === '' ||
      key.startsWith('/') ||
      key.includes('\\') ||
      key.includes('\0') ||
      segments.some((part) => part === '' || part === '.' || part === '..') ||
      segments[0] === META_DIR
    ) {
      throw new InvalidKeyError(key);
    }
    return join(this.root, ...segments);
  }

  #metaPathOf(key: string): string {
    return join(this.root, META_DIR, `${this.#pathOf(key).slice(this.root.length + 1)}.json`);
  }

  async #readMeta(key: string): Promise<Meta> {
    try {
      return JSON.parse(await readFile(this.#metaPathOf(key), 'utf8')) as Meta;
    } catch (error) {
      if (isMissing(error)) return {};
      throw error;
    }
  }
}

function etagOf(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.tmp-${randomUUID()}`);
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
