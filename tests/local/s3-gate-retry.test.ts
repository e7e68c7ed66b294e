import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type S3Gate, startS3Gate } from '../../src/local/s3-gate.js';

// An upstream that fails the way s3rver does under load: a 500, then a body shorter than its
// ETag promises (a PUT not yet flushed), then the real object.
const BODY = 'kokonainen tiedote';
const ETAG = '"5a1d52d3a0d2b9a1c9d0e3d5f4a7b6c1"';
let upstream: Server;
let gate: S3Gate;
let calls = 0;
const lines: string[] = [];

beforeAll(async () => {
  const { createHash } = await import('node:crypto');
  const etag = `"${createHash('md5').update(BODY).digest('hex')}"`;
  upstream = createServer((_req, res) => {
    calls += 1;
    if (calls === 1) {
      res.writeHead(500, { 'content-type': 'application/xml' }).end('<Error/>');
    } else if (calls === 2) {
      res.writeHead(200, { etag }).end(BODY.slice(0, 5));
    } else {
      res.writeHead(200, { etag }).end(BODY);
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  gate = await startS3Gate({
    port: 0,
    upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
    currentEtag: async () => ETAG,
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await gate?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

it('retries an s3rver 500 and a torn body, and logs them, so the client sees the object', async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(`${gate.endpoint}/bucket/releases/a.md`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
  expect(body).toBe(BODY);
  expect(calls).toBe(3);
  expect(lines.some((line) => line.includes('answered 500; retrying'))).toBe(true);
});
