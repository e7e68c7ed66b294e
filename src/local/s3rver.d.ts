// s3rver 3.7 ships no type declarations; this covers the part the local stack and tests use.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** Where s3rver keeps objects: files in its directory (lib/stores/filesystem.js). */
  interface FilesystemStore {
    /** Rejects (ENOENT) when the object does not exist; `etag` is quoted. */
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
  }

  class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    /** Set by the constructor. */
    readonly store: FilesystemStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export default S3rver;
}
