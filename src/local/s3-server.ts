import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../adapters/s3-object-store.js';
import { enforceConditionalWrites } from './s3rver-conditions.js';

/** s3rver accepts only these credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running s3rver and a client configured for it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
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
 * Starts s3rver on loopback. With no `directory` its data lives in a fresh temporary folder that
 * `stop()` removes; `port: 0` picks a free port.
 */
export async function startS3Server(options: { port?: number; directory?: string } = {}) {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'newsroom-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
  });
  // S3 refuses a failed If-Match / If-None-Match with 412; s3rver alone would overwrite.
  enforceConditionalWrites(server);
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = createS3Client({ endpoint, credentials: S3RVER_CREDENTIALS });
  const local: LocalS3 = {
    endpoint,
    port: address.port,
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
      await server.close();
      if (options.directory === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
  return local;
}
