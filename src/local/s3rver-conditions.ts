import { createRequire } from 'node:module';
import type S3rver from 's3rver';
import { KeyQueue } from '../shared/key-queue.js';

/** The parts of s3rver (a Koa app) this module reaches into; s3rver ships no types. */
interface KoaContext {
  method: string;
  path: string;
  get(header: string): string;
}
type Middleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInternals {
  middleware: Middleware[];
  store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> };
}

const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error.js') as new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;

/**
 * Makes s3rver honour `If-None-Match: *` and `If-Match` on PutObject, as S3 does (412
 * PreconditionFailed), for every client of the server, in any process: the local stack, the CLI's
 * `--local` commands and test children all meet here. Conditional writes of one key are checked
 * and performed one at a time. Call before `run()`.
 */
export function enforceConditionalWrites(server: S3rver): void {
  const internals = server as unknown as S3rverInternals;
  const queue = new KeyQueue();
  const conditional: Middleware = async (context, next) => {
    const ifNoneMatch = context.get('if-none-match');
    const ifMatch = context.get('if-match');
    const target = objectOf(context.path);
    if (context.method !== 'PUT' || target === undefined || (!ifNoneMatch && !ifMatch)) {
      await next();
      return;
    }
    await queue.run(`${target.bucket}/${target.key}`, async () => {
      const current = await internals.store
        .getMetadata(target.bucket, target.key)
        .then((metadata) => metadata.etag)
        .catch(() => undefined);
      const fails =
        (ifNoneMatch === '*' && current !== undefined) || (ifMatch !== '' && ifMatch !== current);
      if (fails) {
        throw new S3Error(
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
          { Condition: ifNoneMatch ? 'If-None-Match' : 'If-Match' },
        );
      }
      await next();
    });
  };
  internals.middleware.unshift(conditional);
}

/** Bucket and key of a path-style object URL, or `undefined` for bucket-level requests. */
function objectOf(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}
