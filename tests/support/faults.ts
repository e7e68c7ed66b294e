import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import type { HeadCapable } from '../../src/adapters/head.js';
import { S3RVER_CREDENTIALS } from '../../src/local/s3-server.js';

export { S3rverFolderGuard } from './s3rver-guard.js';

import { createSesMailer } from '../../src/mail/ses-mailer.js';
import type { Mailer, ObjectStore } from '../../src/shared/ports.js';
import { mulberry32 } from './random.js';

/**
 * Seeded fault injection for the fault and security suites (docs/security.md, "Evidence"). Every
 * fault comes from a seeded PRNG, so a failing seed printed in a test name replays exactly.
 */

/** FNV-1a, 32 bits: a stable hash of a request's identity. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Which requests fail. Test-level choices (`random`, `int`, `pick`, `shuffle`) come from one
 * seeded stream; each request's fate comes from its own generator, seeded by the plan's seed and
 * the request's identity (method, path, body) and how many times it was seen, so concurrent
 * requests meet the same faults whatever order they happen to arrive in.
 */
export class FaultPlan {
  readonly random: () => number;
  /** Faults are injected only while active (an outage that ends). */
  active = true;
  requests = 0;
  injected = 0;
  readonly #seen = new Map<string, number>();

  constructor(
    readonly seed: number,
    /** Share of requests that fail while active, 0–1. */
    readonly rate: number,
  ) {
    this.random = mulberry32(seed);
  }

  /**
   * Decides the fate of the request identified by `id`: `undefined` lets it through, otherwise
   * the request fails and the returned generator makes the fault's further choices.
   */
  roll(id: string): (() => number) | undefined {
    this.requests += 1;
    const nth = (this.#seen.get(id) ?? 0) + 1;
    this.#seen.set(id, nth);
    const fate = mulberry32(fnv1a(`${this.seed}\u0000${id}\u0000${nth}`));
    if (!this.active || fate() >= this.rate) return undefined;
    this.injected += 1;
    return fate;
  }

  /** A seeded integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** A seeded pick. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** A seeded Fisher–Yates shuffle (a new array). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The S3 errors injected: what S3 answers when it is overloaded or failing. */
const S3_FAULTS = [
  { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
  { status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' },
] as const;

/** The smithy HTTP handler shape the SDK clients call (a subset: what they use). */
interface HttpHandlerLike {
  handle(request: HttpRequestLike, options?: unknown): Promise<{ response: HttpResponseLike }>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): Record<string, unknown>;
  destroy?(): void;
}

/** The parts of an outgoing smithy HTTP request a fault rule may look at. */
export interface HttpRequestLike {
  method: string;
  /** Path-style: `/<bucket>/<URL-encoded key>`. */
  path: string;
  body?: unknown;
}

interface HttpResponseLike {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body?: unknown;
}

function errorResponse(status: number, contentType: string, xml: string): HttpResponseLike {
  return {
    statusCode: status,
    headers: { 'content-type': contentType, 'x-amz-request-id': 'INJECTED-FAULT' },
    body: Readable.from([Buffer.from(xml)]),
  };
}

/**
 * An HTTP handler that lets `plan` fail requests before they reach the server, or after the server
 * did the work but before the answer arrived (`landed`: the write happened, the caller sees an
 * error, as with a 500 or a lost connection on real S3).
 */
function faultyHandler(
  inner: HttpHandlerLike,
  plan: FaultPlan,
  fault: (fate: () => number) => HttpResponseLike,
  /** Share of faults that strike after the server did the work. */
  landedShare: number,
  spare: (request: HttpRequestLike) => boolean = () => false,
): HttpHandlerLike {
  return {
    async handle(request, options) {
      if (spare(request)) return inner.handle(request, options);
      // SES requests all go to `/`; the recipient in their form-encoded body tells them apart
      // (the rest of the message has random MIME boundaries).
      const body = typeof request.body === 'string' ? request.body : '';
      const recipient = /Destinations\.member\.1=([^&]*)/.exec(body)?.[1] ?? '';
      const fate = plan.roll(`${request.method} ${request.path} ${recipient}`);
      if (fate === undefined) return inner.handle(request, options);
      if (fate() >= landedShare) return { response: fault(fate) };
      const { response } = await inner.handle(request, options);
      // Drain the real answer so the socket goes back to the pool.
      (response.body as Readable | undefined)?.resume?.();
      return { response: fault(fate) };
    },
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
    destroy: () => inner.destroy?.(),
  };
}

/**
 * A real S3 client for s3rver at `endpoint` whose requests fail as `plan` says, with the SDK's own
 * retries off (`maxAttempts: 1`): the errors are S3's own XML answers, parsed by the SDK into
 * `S3ServiceException`s, so the code's retry and rethrow paths see exactly what they would see
 * after the SDK gave up on real S3.
 */
export function faultyS3Client(
  endpoint: string,
  plan: FaultPlan,
  /** Requests that never fail (e.g. staff uploads, which a person would simply repeat). */
  spare?: (request: HttpRequestLike) => boolean,
): S3Client {
  const config = {
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  // The SDK's own Node HTTP handler, taken from a plain client so no transitive package is imported.
  const plain = new S3Client(config);
  const inner = plain.config.requestHandler as unknown as HttpHandlerLike;
  return new S3Client({
    ...config,
    maxAttempts: 1,
    requestHandler: faultyHandler(
      inner,
      plan,
      (fate) => {
        const fault = pick(S3_FAULTS, fate);
        return errorResponse(
          fault.status,
          'application/xml',
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${fault.message}</Message><RequestId>INJECTED-FAULT</RequestId></Error>`,
        );
      },
      0.5,
      spare,
    ) as never,
  });
}

/** An S3 error as the SDK surfaces it after its retries (status in `$metadata`), without HTTP. */
function s3Error(fate: () => number): Error {
  const fault = pick(S3_FAULTS, fate);
  return Object.assign(new Error(fault.message), {
    name: fault.code,
    $fault: 'server',
    $metadata: { httpStatusCode: fault.status },
  });
}

/** The object-store operations a fault rule may look at. */
export type StoreOperation = 'get' | 'put' | 'delete' | 'list' | 'head';

/**
 * The in-memory counterpart of {@link faultyS3Client}, for logic tests that need S3's failures
 * but not its protocol: `store`'s requests fail as `plan` says with the errors the S3 adapter
 * lets through (500 / 503 SlowDown), half of the faults on writes after the write happened
 * (`landed`, as when S3's answer is lost). A request's identity is its operation, `bucket` and
 * key, so its fate does not depend on the order concurrent requests arrive in.
 */
export function faultyStore(
  store: ObjectStore & HeadCapable,
  bucket: string,
  plan: FaultPlan,
  /** Requests that never fail (e.g. staff uploads, which a person would simply repeat). */
  spare: (operation: StoreOperation, key: string) => boolean = () => false,
): ObjectStore & HeadCapable {
  const fateOf = (operation: StoreOperation, key: string) =>
    spare(operation, key) ? undefined : plan.roll(`${operation} /${bucket}/${key}`);
  const write = async <T>(operation: StoreOperation, key: string, work: () => Promise<T>) => {
    const fate = fateOf(operation, key);
    if (fate === undefined) return work();
    if (fate() < 0.5) await work();
    throw s3Error(fate);
  };
  const read = async <T>(operation: StoreOperation, key: string, work: () => Promise<T>) => {
    const fate = fateOf(operation, key);
    if (fate !== undefined) throw s3Error(fate);
    return work();
  };
  return {
    get: (key) => read('get', key, () => store.get(key)),
    head: (key) => read('head', key, () => store.head(key)),
    put: (key, body, options) => write('put', key, () => store.put(key, body, options)),
    delete: (key) => write('delete', key, () => store.delete(key)),
    async *list(prefix) {
      const fate = fateOf('list', prefix);
      if (fate !== undefined) throw s3Error(fate);
      yield* store.list(prefix);
    },
  };
}

/** What SES answers when throttled or failing; none of these means the message was accepted. */
const SES_FAULTS = [
  { status: 400, type: 'Sender', code: 'Throttling', message: 'Maximum sending rate exceeded.' },
  { status: 503, type: 'Receiver', code: 'ServiceUnavailable', message: 'Service unavailable.' },
  { status: 500, type: 'Receiver', code: 'InternalFailure', message: 'Internal failure.' },
] as const;

/**
 * The project's SES mailer (`createSesMailer`) over a real SES client for aws-ses-v2-local at
 * `endpoint`, with the SDK's retries off, whose sends fail as `plan` says: throttling and 5xx
 * answers, parsed by the SDK from SES's own XML error format. The failures happen before SES
 * accepts the message (that is what these answers mean).
 */
export function faultySesMailer(endpoint: string, plan: FaultPlan): Mailer {
  const config = {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const inner = new SESClient(config).config.requestHandler as unknown as HttpHandlerLike;
  const handler = faultyHandler(
    inner,
    plan,
    (fate) => {
      const fault = pick(SES_FAULTS, fate);
      return errorResponse(
        fault.status,
        'text/xml',
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${fault.type}</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>INJECTED-FAULT</RequestId></ErrorResponse>`,
      );
    },
    0,
  );
  const client = new SESClient({ ...config, maxAttempts: 1, requestHandler: handler as never });
  return createSesMailer({ client });
}

/** Thrown by everything a simulated process does after it died. */
class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  constructor(readonly afterRequests: number) {
    super(`simulated crash after ${afterRequests} requests`);
  }
}

/**
 * One simulated process: it dies at its `after + 1`-th request (to any store or mailer wrapped
 * with it), and from then on every request it makes fails, as if it no longer existed. Requests
 * already under way when it dies still reach the server, as they would.
 */
export class CrashSwitch {
  requests = 0;
  dead = false;

  constructor(readonly after: number) {}

  /** Counts one request; throws when the process is (now) dead. */
  tick(): void {
    if (!this.dead && this.requests >= this.after) this.dead = true;
    if (this.dead) throw new SimulatedCrash(this.after);
    this.requests += 1;
  }
}

/** `store` as seen from a process that crashes when `crash` says; keeps HEAD if `store` has it. */
export function crashingStore(store: ObjectStore, crash: CrashSwitch): ObjectStore & HeadCapable {
  const head = (store as Partial<HeadCapable>).head?.bind(store);
  return {
    async get(key) {
      crash.tick();
      return store.get(key);
    },
    async put(key, body, options) {
      crash.tick();
      return store.put(key, body, options);
    },
    async delete(key) {
      crash.tick();
      return store.delete(key);
    },
    async *list(prefix) {
      crash.tick();
      for await (const summary of store.list(prefix)) {
        if (crash.dead) throw new SimulatedCrash(crash.after);
        yield summary;
      }
    },
    async head(key) {
      crash.tick();
      if (head) return head(key);
      for await (const summary of store.list(key)) if (summary.key === key) return summary;
      return undefined;
    },
  };
}

/** `mailer` in a process that crashes when `crash` says; `accepted` lists what SES took. */
export function crashingMailer(
  mailer: Mailer,
  crash: CrashSwitch,
): Mailer & { accepted: string[] } {
  const accepted: string[] = [];
  return {
    accepted,
    async send(mail) {
      crash.tick();
      const result = await mailer.send(mail);
      accepted.push(mail.to[0] ?? '');
      return result;
    },
  };
}

/** The error S3 answers when it is overloaded, as the SDK surfaces it (no HTTP involved). */
function slowDown(): Error {
  return Object.assign(new Error('Please reduce your request rate.'), {
    name: 'SlowDown',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });
}

/**
 * `store` whose first request matching `when` fails with S3's SlowDown (and never again): to
 * stop a sync exactly between two of its writes.
 */
export function failingOnce(
  store: ObjectStore & HeadCapable,
  when: (operation: 'get' | 'put' | 'delete' | 'list' | 'head', key: string) => boolean,
): ObjectStore & HeadCapable & { failed: () => boolean } {
  let failed = false;
  const check = (operation: Parameters<typeof when>[0], key: string) => {
    if (failed || !when(operation, key)) return;
    failed = true;
    throw slowDown();
  };
  return {
    failed: () => failed,
    async get(key) {
      check('get', key);
      return store.get(key);
    },
    async put(key, body, options) {
      check('put', key);
      return store.put(key, body, options);
    },
    async delete(key) {
      check('delete', key);
      return store.delete(key);
    },
    list(prefix) {
      check('list', prefix);
      return store.list(prefix);
    },
    async head(key) {
      check('head', key);
      return store.head(key);
    },
  };
}

/** What one fault test file did, printed by its `afterAll` and copied into docs/security.md. */
export class FaultLedger {
  scenarios = 0;
  faults = 0;
  /** Releases missing from the public site, or subscribers who got no mail: must stay 0. */
  lost = 0;
  /** Mails beyond one per subscriber, all within the documented bound. */
  duplicates = 0;

  constructor(readonly suite: string) {}

  /** Adds one finished scenario. */
  add(outcome: { faults: number; lost?: number; duplicates?: number }): void {
    this.scenarios += 1;
    this.faults += outcome.faults;
    this.lost += outcome.lost ?? 0;
    this.duplicates += outcome.duplicates ?? 0;
  }

  /** The summary line as a Markdown table row: suite | scenarios | faults | lost | duplicates. */
  row(): string {
    return `| ${this.suite} | ${this.scenarios} | ${this.faults} | ${this.lost} | ${this.duplicates} |`;
  }

  /** Prints the summary (stdout), in the form docs/security.md's Evidence table uses. */
  print(): void {
    console.log(
      `fault summary: ${this.suite}: scenarios=${this.scenarios} faults=${this.faults} lost=${this.lost} duplicates=${this.duplicates}\n${this.row()}`,
    );
  }
}
