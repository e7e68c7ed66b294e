import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyQueue } from '../shared/key-queue.js';

/** What the gate answers a request with once s3rver has answered it. */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Attempts for a request s3rver fails (5xx, a torn body, a dropped connection). */
const ATTEMPTS = 6;

/** A running gate. */
export interface S3Gate {
  /** `http://127.0.0.1:<port>`: the endpoint every local client uses. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The S3 endpoint of the local stack: an HTTP front of s3rver that every local client talks to
 * (the publisher, the subscriptions API, `send-digest --local` in another process), so each gets
 * what S3 gives and s3rver does not:
 * - `If-Match` / `If-None-Match` on PUT are enforced (412 `PreconditionFailed`), under a per-key
 *   lock that also keeps a key's reads from overlapping its writes;
 * - a bucket's DELETEs run alone (s3rver's folder clean-up races with them otherwise);
 * - a GET whose body does not match its ETag (s3rver answers a PUT before flushing it) and any
 *   5xx or dropped connection are retried; after the last attempt the client gets a 503 SlowDown,
 *   which the SDK retries in turn. An s3rver failure is logged, never a crash of the stack.
 * Requests are forwarded byte for byte (same Host header), so their signatures stay valid.
 */
export async function startS3Gate(options: {
  port: number;
  upstream: { host: string; port: number };
  /** The object's current ETag on s3rver (`undefined`: none), read without going through the gate. */
  currentEtag: (bucket: string, key: string) => Promise<string | undefined>;
  log?: (line: string) => void;
}): Promise<S3Gate> {
  const keys = new KeyQueue();
  const buckets = new Map<string, BucketGate>();
  const gateOf = (bucket: string) => {
    const gate = buckets.get(bucket) ?? new BucketGate();
    buckets.set(bucket, gate);
    return gate;
  };
  const server: Server = createServer((incoming, response) => {
    handle(incoming)
      .then((answer) => reply(response, answer))
      .catch((error: unknown) => {
        options.log?.(`s3: ${incoming.method} ${incoming.url} failed: ${String(error)}`);
        reply(response, slowDown());
      });
  });
  async function handle(incoming: IncomingMessage): Promise<Answer> {
    const body = await readAll(incoming);
    const path = incoming.url ?? '/';
    const [bucket = '', key = ''] =
      path
        .split('?', 1)[0]
        ?.slice(1)
        .split(/\/(.*)/s) ?? [];
    const method = incoming.method ?? 'GET';
    const send = () => forward(options.upstream, method, path, incoming.headers, body, options.log);
    if (key === '') return gateOf(bucket).shared(send);
    const objectWork = () =>
      keys.run(`${bucket}/${key}`, () => guarded(method, incoming, [bucket, key], send));
    return method === 'DELETE'
      ? gateOf(bucket).alone(objectWork)
      : gateOf(bucket).shared(objectWork);
  }
  async function guarded(
    method: string,
    incoming: IncomingMessage,
    [bucket, key]: [string, string],
    send: () => Promise<Answer>,
  ) {
    if (method !== 'PUT' || incoming.headers['x-amz-copy-source'] !== undefined) return send();
    const ifMatch = incoming.headers['if-match'];
    const ifNoneMatch = incoming.headers['if-none-match'];
    if (ifMatch === undefined && ifNoneMatch === undefined) return send();
    const etag = await options.currentEtag(bucket, decodeURIComponent(key));
    const fails =
      (ifNoneMatch === '*' && etag !== undefined) || (ifMatch !== undefined && ifMatch !== etag);
    return fails ? preconditionFailed() : send();
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** One bucket's requests: DELETEs one at a time and alone, everything else side by side. */
class BucketGate {
  #deletes: Promise<unknown> = Promise.resolve();
  readonly #others = new Set<Promise<unknown>>();

  shared<T>(work: () => Promise<T>): Promise<T> {
    const running = this.#deletes.catch(() => undefined).then(work);
    this.#others.add(running);
    const forget = () => this.#others.delete(running);
    running.then(forget, forget);
    return running;
  }

  alone<T>(work: () => Promise<T>): Promise<T> {
    const before = [...this.#others];
    const run = this.#deletes
      .catch(() => undefined)
      .then(async () => {
        await Promise.allSettled(before);
        return work();
      });
    this.#deletes = run;
    return run;
  }
}

/**
 * Sends the request to s3rver, again after a 5xx, a dropped connection or a GET body that does
 * not match its single-part ETag.
 */
async function forward(
  upstream: { host: string; port: number },
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  log: ((line: string) => void) | undefined,
): Promise<Answer> {
  let last: Answer | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    const answer = await once(upstream, method, path, headers, body).catch((error: unknown) => {
      log?.(`s3: ${method} ${path}: ${String(error)}; retrying`);
      return undefined;
    });
    if (answer === undefined) continue;
    last = answer;
    if (answer.status >= 500) {
      log?.(`s3: ${method} ${path} answered ${answer.status}; retrying`);
      continue;
    }
    if (method === 'GET' && answer.status === 200 && torn(answer)) continue;
    return answer;
  }
  return last && last.status < 500 && !torn(last) ? last : slowDown();
}

function once(
  upstream: { host: string; port: number },
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: upstream.host, port: upstream.port, method, path, headers },
      (incoming) => {
        readAll(incoming).then(
          (data) =>
            resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: data }),
          reject,
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A body whose MD5 is not its (single-part) ETag: s3rver had not finished writing it. */
function torn(answer: Answer): boolean {
  const etag = String(answer.headers.etag ?? '').replaceAll('"', '');
  if (!/^[0-9a-f]{32}$/.test(etag) || answer.headers['content-range'] !== undefined) return false;
  return createHash('md5').update(answer.body).digest('hex') !== etag;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function reply(response: ServerResponse, answer: Answer): void {
  const { 'transfer-encoding': _t, connection: _c, ...headers } = answer.headers;
  response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
  response.end(answer.body);
}

function s3Error(status: number, code: string, message: string): Answer {
  const body = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
  return { status, headers: { 'content-type': 'application/xml' }, body };
}

function preconditionFailed(): Answer {
  return s3Error(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
  );
}

function slowDown(): Answer {
  return s3Error(503, 'SlowDown', 'The local S3 server failed; please retry');
}
