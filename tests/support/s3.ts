import { randomUUID } from 'node:crypto';
import { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { type LocalS3, startS3Server } from '../../src/local/s3-server.js';

export type { LocalS3 };

/** Starts s3rver on a free loopback port with its data in a temporary folder. */
export function startTestS3(): Promise<LocalS3> {
  return startS3Server({ port: 0 });
}

/** A fresh, uniquely named bucket on `s3` and an ObjectStore over it. */
export async function freshBucket(s3: LocalS3, label: string): Promise<S3ObjectStore> {
  const name = `${label}-${randomUUID().slice(0, 8)}`;
  await s3.createBucket(name);
  return new S3ObjectStore(s3.client, name);
}
