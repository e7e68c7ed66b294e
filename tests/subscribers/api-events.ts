import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) event, shaped as API Gateway sends it. */
export function apiEvent(options: {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  base64?: boolean;
}): APIGatewayProxyEventV2 {
  const headers = {
    host: 'tiedotteet.example.fi',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    'x-forwarded-for': '203.0.113.9',
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: options.path,
    rawQueryString: options.query ?? '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.eu-north-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: headers['user-agent'],
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: '01/Mar/2025:10:00:00 +0000',
      timeEpoch: 1740823200000,
    },
    isBase64Encoded: options.base64 ?? false,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.query
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query)) }
      : {}),
  };
}

/** A form post as a browser sends it (API Gateway base64-encodes form bodies). */
export function formPost(
  path: string,
  fields: [string, string][],
  headers: Record<string, string> = {},
  query = '',
) {
  return apiEvent({
    method: 'POST',
    path,
    query,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: Buffer.from(new URLSearchParams(fields).toString()).toString('base64'),
    base64: true,
  });
}
