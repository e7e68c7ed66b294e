import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running aws-ses-v2-local: SES v1/v2 endpoint and, at its root, the mail viewer. */
export interface LocalSesServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

type StartSes = (config: { host: string; port: number }) => Promise<Server>;

/** Starts aws-ses-v2-local in this process on loopback (`port: 0` picks a free one). */
export async function startSesServer(port: number): Promise<LocalSesServer> {
  // A CommonJS module with `exports.default`: Node's ESM loader gives `.default.default`, some
  // loaders (vitest) unwrap it to `.default`.
  const loaded = (await import('aws-ses-v2-local')).default as unknown as
    | { default: StartSes }
    | StartSes;
  const start = typeof loaded === 'function' ? loaded : loaded.default;
  const server = await start({ host: '127.0.0.1', port });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
