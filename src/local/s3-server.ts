import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../adapters/s3-object-store.js';
import { startS3Gate } from './s3-gate.js';

/** s3rver accepts only these credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running s3rver and a client configured for it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: the gate in front of s3rver. */
  endpoint: string;
  port: number;
  client: S3Client;
  /** The server, for its `event` emitter. */
  server: S3rver;
  /** Creates a bucket (idempotent). */
  createBucket(name: string): Promise<void>;
  /** Stops the server and removes its data unless the caller chose the folder. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver on loopback behind its gate ({@link startS3Gate}): `endpoint`, `port` and `client`
 * are the gate's, so every client gets conditional writes and whole bodies as S3 gives them. With
 * no `directory` the data lives in a fresh temporary folder that `stop()` removes; `port: 0`
 * picks a free port.
 */
export async function startS3Server(
  options: { port?: number; directory?: string; log?: (line: string) => void } = {},
) {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'newsroom-s3-')));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const address = await server.run();
  const gate = await startS3Gate({
    port: options.port ?? 0,
    upstream: { host: '127.0.0.1', port: address.port },
    currentEtag: (bucket, key) => storedEtag(server, bucket, key),
    log: options.log,
  });
  const client = createS3Client({ endpoint: gate.endpoint, credentials: S3RVER_CREDENTIALS });
  const local: LocalS3 = {
    endpoint: gate.endpoint,
    port: gate.port,
    client,
    server,
    async createBucket(name) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        const code = (error as { name?: string }).name;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
      }
    },
    async stop() {
      client.destroy();
      await gate.stop();
      await server.close();
      if (options.directory === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
  return local;
}

/**
 * The object's ETag as s3rver stored it, read from its folder the way its own HEAD reads it
 * (`undefined`: none). A HEAD through the SDK and s3rver's HTTP stack cost about as much CPU as
 * the conditional write it guards, and every conditional write asks for one.
 */
async function storedEtag(server: S3rver, bucket: string, key: string) {
  try {
    return (await server.store.getMetadata(bucket, key)).etag;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
