import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The subscribe form as the site's index.html carries it (docs/architecture.md contract). */
const SUBSCRIBE_PAGE = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Esimerkkilä – tiedotteet</title></head>
<body>
<main>
<h1>Tiedotteet</h1>
<form method="post" action="/api/subscribe">
<label>Sähköposti <input type="email" name="email" required></label>
<fieldset><legend>Kieli</legend>
<label><input type="radio" name="lang" value="fi" checked> suomi</label>
<label><input type="radio" name="lang" value="sv"> svenska</label>
<label><input type="radio" name="lang" value="en"> English</label>
</fieldset>
<fieldset><legend>Luokat</legend>
<label><input type="checkbox" name="categories" value="tiedote"> Tiedote</label>
<label><input type="checkbox" name="categories" value="blogi"> Blogi</label>
</fieldset>
<label>Kuinka usein <select name="frequency">
<option value="immediate">Heti</option><option value="daily" selected>Päivittäin</option><option value="weekly">Viikoittain</option>
</select></label>
<div style="position:absolute;left:-10000px" aria-hidden="true"><label>Verkkosivu <input name="website" tabindex="-1" autocomplete="off"></label></div>
<button type="submit">Tilaa</button>
</form>
</main>
</body>
</html>
`;

/** A stand-in for the local stack: serves the form page and routes `/api/*` to the handler. */
export interface SubscribeServer {
  url: string;
  /** Sets the handler once its environment (SITE_URL = {@link url}) is in place. */
  setHandler(handler: Handler): void;
  stop(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = request.method ?? 'GET';
  const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: String(Date.now()),
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: body.length > 0,
    ...(body.length > 0 ? { body: body.toString('base64') } : {}),
  };
}

/** Starts the stand-in server on a free loopback port. */
export async function startSubscribeServer(): Promise<SubscribeServer> {
  let handler: Handler | undefined;
  const server: Server = createServer(async (request, response) => {
    try {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path.startsWith('/api/') && handler) {
        const result = await handler(toEvent(request, await readBody(request)));
        response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        response.end(result.body ?? '');
        return;
      }
      if (path === '/' && request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(SUBSCRIBE_PAGE);
        return;
      }
      response.writeHead(404).end();
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setHandler(next) {
      handler = next;
    },
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
