import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type S3rver from 's3rver';
import { KeyQueue } from '../shared/key-queue.js';

/** The parts of s3rver (a Koa app) this module reaches into; s3rver ships no types. */
interface KoaContext {
  method: string;
  path: string;
  status: number;
  request: { length?: number };
  req: {
    socket: {
      once(event: 'close' | 'end', listener: () => void): void;
      off(event: 'close' | 'end', listener: () => void): void;
      destroyed: boolean;
      readableEnded: boolean;
    };
  };
  get(header: string): string;
}
type Middleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInternals {
  middleware: Middleware[];
  store: {
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    getResourcePath(bucket: string, key: string, resource: string): string;
  };
}

const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error.js') as new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;

/**
 * Makes s3rver behave like S3 for the requests every process of the local stack makes (the stack,
 * the CLI's `--local` commands, test children): `If-None-Match: *` and `If-Match` on PutObject are
 * honoured (412 PreconditionFailed), and reads and writes of one key take turns, each write
 * waiting until its file is flushed (s3rver answers a PUT before that, and a GET right after would
 * read a short body). Call before `run()`.
 */
export function enforceConditionalWrites(server: S3rver): void {
  const internals = server as unknown as S3rverInternals;
  const queue = new KeyQueue();
  const objectRequest: Middleware = async (context, next) => {
    const target = objectOf(context.path);
    if (target === undefined || !['GET', 'HEAD', 'PUT'].includes(context.method)) {
      await next();
      return;
    }
    await queue.run(`${target.bucket}/${target.key}`, async () => {
      if (context.method === 'PUT') await checkConditions(internals, context, target);
      // A client killed mid-upload leaves s3rver waiting for a body that never comes: the key is
      // let go when its connection ends, or every later request for the key would wait forever.
      if ((await untilDoneOrGone(context, next)) === 'gone') return;
      if (context.method === 'PUT' && context.status < 300 && !context.get('x-amz-copy-source')) {
        await flushed(
          internals.store.getResourcePath(target.bucket, target.key, 'object'),
          context,
        );
      }
    });
  };
  internals.middleware.unshift(objectRequest);
}

/**
 * Runs the rest of the request, or gives up when the client's connection ends first (Node's HTTP
 * server keeps it half open, so that shows as 'end'); listeners are removed either way, since
 * keep-alive connections carry many requests.
 */
async function untilDoneOrGone(context: KoaContext, next: () => Promise<void>) {
  const { socket } = context.req;
  let gone: () => void = () => {};
  const ended = new Promise<'gone'>((resolve) => {
    gone = () => resolve('gone');
    if (socket.destroyed || socket.readableEnded) gone();
  });
  socket.once('end', gone);
  socket.once('close', gone);
  try {
    return await Promise.race([next().then(() => 'done' as const), ended]);
  } finally {
    socket.off('end', gone);
    socket.off('close', gone);
  }
}

async function checkConditions(
  internals: S3rverInternals,
  context: KoaContext,
  target: { bucket: string; key: string },
): Promise<void> {
  const ifNoneMatch = context.get('if-none-match');
  const ifMatch = context.get('if-match');
  if (!ifNoneMatch && !ifMatch) return;
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
}

/** Waits (2 s at most) until the object's file holds as many bytes as the request sent. */
async function flushed(path: string, context: KoaContext): Promise<void> {
  const expected = context.request.length;
  if (expected === undefined) return;
  for (let waited = 0; waited < 2000; waited += 2) {
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
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
