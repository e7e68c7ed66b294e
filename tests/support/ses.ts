import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/** One message as aws-ses-v2-local keeps it (raw MIME headers are not kept). */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** A running aws-ses-v2-local and helpers to read what it received. */
export interface LocalSes {
  /** `http://127.0.0.1:<port>`: SES_ENDPOINT for the code under test. */
  endpoint: string;
  port: number;
  /** Every message received since the last {@link LocalSes.clear}. */
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

type StartSes = (config: { host: string; port: number }) => Promise<import('node:http').Server>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts aws-ses-v2-local in this process on a free loopback port. Its store is global to the
 * process, so tests sharing a process should `clear()` before they look.
 */
export async function startLocalSes(): Promise<LocalSes> {
  // A CommonJS module with `exports.default`: Node's ESM loader gives `.default.default`, vitest's
  // interop unwraps it to `.default`.
  const module = (await import('aws-ses-v2-local')).default as unknown as
    | { default: StartSes }
    | StartSes;
  const run = typeof module === 'function' ? module : module.default;
  const port = await freePort();
  const server = await run({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async emails() {
      const response = await fetch(`${endpoint}/store`);
      const store = (await response.json()) as { emails: StoredEmail[] };
      return store.emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}
