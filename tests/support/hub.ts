import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A publish notification as the hub received it. */
interface HubPing {
  contentType: string | undefined;
  form: Record<string, string>;
}

/** A WebSub hub on loopback that records publish notifications and answers with `status`. */
export interface TestHub {
  url: string;
  pings: HubPing[];
  status: number;
  stop(): Promise<void>;
}

/** Starts a {@link TestHub} on a free loopback port. */
export async function startTestHub(): Promise<TestHub> {
  const hub = { pings: [] as HubPing[], status: 204 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      hub.pings.push({
        contentType: request.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      });
      response.statusCode = hub.status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(hub, {
    url: `http://127.0.0.1:${port}/hub`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
