import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalWebServer, publicKeyOf, startWebServer } from '../../src/local/web.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';

let s3: LocalS3;
let web: LocalWebServer;
let privateBucket: string;
const SECRET = 'subscriber list: not for the public';

beforeAll(async () => {
  s3 = await startTestS3();
  const publicSite = await freshBucket(s3, 'public');
  const releases = await freshBucket(s3, 'releases');
  privateBucket = releases.bucket;
  await publicSite.put('index.html', '<h1>Etusivu</h1>', { contentType: 'text/html' });
  await publicSite.put('releases/a b.html', '<h1>A</h1>', { contentType: 'text/html' });
  await releases.put('state/subscribers.json', SECRET);
  web = await startWebServer({ port: 0, s3: s3.client, publicBucket: publicSite.bucket });
});
afterAll(async () => {
  await web?.stop();
  await s3?.stop();
});

/** A GET with the path sent exactly as written (fetch and URL would normalise it first). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local web server serves the public bucket and nothing else', () => {
  it('serves public files, the front page at /, and encoded spaces', async () => {
    expect(await rawGet('/')).toMatchObject({ status: 200, body: '<h1>Etusivu</h1>' });
    expect(await rawGet('/releases/a%20b.html')).toMatchObject({ status: 200, body: '<h1>A</h1>' });
  });

  const escapes = (bucket: () => string) => [
    `/../${bucket()}/state/subscribers.json`,
    `/%2e%2e/${bucket()}/state/subscribers.json`,
    `/%2E%2E%2F${bucket()}%2Fstate%2Fsubscribers.json`,
    `/..%2f${bucket()}%2fstate%2fsubscribers.json`,
    `/..\\${bucket()}\\state\\subscribers.json`,
    `/%5c..%5c${bucket()}%5cstate%5csubscribers.json`,
    `/%252e%252e/${bucket()}/state/subscribers.json`,
    `/%252e%252e%252f${bucket()}%252fstate%252fsubscribers.json`,
    `/releases/../../${bucket()}/state/subscribers.json`,
    `/./releases//a%20b.html`,
    `/%00/index.html`,
  ];

  it.each(escapes(() => '{private}'))('refuses %s', async (template) => {
    const path = template.replaceAll('{private}', privateBucket);
    const response = await rawGet(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(SECRET);
  });

  it.each(['//', '//x', '///api/subscribe', '//%zz'])(
    'answers %s with a 4xx, never a 500',
    async (path) => {
      const { status } = await rawGet(path);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    },
  );

  it('names no key outside the bucket for any of those paths', () => {
    for (const path of escapes(() => 'other-bucket'))
      expect(publicKeyOf(path), path).toBeUndefined();
    expect(publicKeyOf('/feeds/atom.xml?x=1')).toBe('feeds/atom.xml');
    expect(publicKeyOf('/archive/')).toBe('archive/index.html');
  });
});
