import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { NOT_FOUND_PATH } from '../pages/not-found-page.js';

/** An API Gateway HTTP API (payload 2.0) handler, as functions/subscriptions-api.ts exports. */
export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

/** What the local web server serves. */
export interface WebServerOptions {
  port: number;
  s3: S3Client;
  publicBucket: string;
  /** `/api/*`; when absent the API answers 503. */
  api?: HttpApiHandler;
  /** Why there is no API (shown in the 503). */
  apiMissing?: string;
  log?: (line: string) => void;
}

/** A running local web server. */
export interface LocalWebServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|.*\+json|.*\+xml))/;

/**
 * Serves the public bucket the way CloudFront would in front of it — GET and HEAD, `/` as
 * `index.html`, Content-Type and Cache-Control from the object, ETag with `If-None-Match` → 304 —
 * and routes `/api/*` to the subscriptions API handler as an HTTP API v2 event.
 */
export async function startWebServer(options: WebServerOptions): Promise<LocalWebServer> {
  const server: Server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.log?.(`web: ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  options: WebServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = URL.canParse(request.url ?? '/', 'http://localhost')
    ? new URL(request.url ?? '/', 'http://localhost')
    : undefined;
  if (url === undefined) {
    // `//` and the like are not a path a browser sends for this site; S3 behind CloudFront
    // answers such a request with an error page, never with a crash.
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request\n');
    return;
  }
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    await handleApi(options, request, response, url);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    response.end('Method not allowed\n');
    return;
  }
  const key = publicKeyOf(request.url ?? '/');
  if (key === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const ifNoneMatch = request.headers['if-none-match'];
  try {
    const input = { Bucket: options.publicBucket, Key: key, IfNoneMatch: ifNoneMatch };
    const object =
      request.method === 'HEAD'
        ? await options.s3.send(new HeadObjectCommand(input))
        : await options.s3.send(new GetObjectCommand(input));
    const headers: Record<string, string> = {};
    if (object.ContentType) headers['content-type'] = object.ContentType;
    if (object.CacheControl) headers['cache-control'] = object.CacheControl;
    if (object.ContentDisposition) headers['content-disposition'] = object.ContentDisposition;
    if (object.ETag) headers.etag = object.ETag;
    if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
    if (object.ContentLength !== undefined)
      headers['content-length'] = String(object.ContentLength);
    response.writeHead(200, headers);
    if ('Body' in object && object.Body && request.method === 'GET') {
      response.end(Buffer.from(await object.Body.transformToByteArray()));
    } else {
      response.end();
    }
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 304) {
      response.writeHead(304, ifNoneMatch ? { etag: ifNoneMatch } : {}).end();
    } else if (status === 404 || status === 403) {
      await sendNotFound(options, request, response);
    } else {
      throw error;
    }
  }
}

/**
 * The public bucket's key for a request path (`/` and `…/` as `index.html`), or `undefined` when
 * the path could name anything outside the bucket. s3rver maps keys to file paths, so whatever
 * decodes to a `..` or `.` segment, an empty segment, a backslash or a control character is
 * refused, and so are encoded separators (`%2F`, `%5C`) and double encoding (`%25`), checked on
 * the raw path before any normalisation.
 */
export function publicKeyOf(rawPath: string): string | undefined {
  const path = rawPath.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/') || /%(2f|5c|25|00)/i.test(path) || path.includes('\\')) {
    return undefined;
  }
  let key: string;
  try {
    key = decodeURIComponent(path.slice(1));
  } catch {
    return undefined;
  }
  if (key === '' || key.endsWith('/')) key += 'index.html';
  const unsafe = (segment: string) =>
    segment === '' ||
    segment === '.' ||
    segment === '..' ||
    [...segment].some((char) => char === '\\' || char.charCodeAt(0) < 0x20 || char === '\x7f');
  return key.split('/').some(unsafe) ? undefined : key;
}

/** The site's own 404.html with status 404, as CloudFront's custom error response serves it. */
async function sendNotFound(
  options: WebServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const page = await options.s3
    .send(new GetObjectCommand({ Bucket: options.publicBucket, Key: NOT_FOUND_PATH }))
    .then((object) => object.Body?.transformToByteArray())
    .catch(() => undefined);
  if (page === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  response.writeHead(404, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : Buffer.from(page));
}

async function handleApi(
  options: WebServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  if (!options.api) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' });
    response.end(`The subscription API is not available: ${options.apiMissing ?? 'not wired'}\n`);
    return;
  }
  const body = await readBody(request);
  const result = await options.api(toApiGatewayEvent(request, url, body));
  writeApiResult(response, result);
}

/** An HTTP API (payload 2.0) event for a node request: headers lowercased, binary bodies base64. */
function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = request.headers.cookie?.split(';').map((cookie) => cookie.trim());
  const contentType = headers['content-type'] ?? '';
  const binary = body.length > 0 && !TEXT_TYPES.test(contentType);
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] =
      name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : body.toString('utf8') } : {}),
    isBase64Encoded: binary,
  };
}

function writeApiResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body ?? '';
  response.writeHead(structured.statusCode ?? 200, headers);
  response.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
