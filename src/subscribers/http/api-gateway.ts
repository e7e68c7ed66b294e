import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from './request.js';

/** Translates an API Gateway HTTP API (payload 2.0) event into an {@link ApiRequest}. */
export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const body =
    event.body === undefined
      ? new Uint8Array()
      : new Uint8Array(Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'));
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

/** Translates an {@link ApiResponse} into an API Gateway HTTP API result. */
export function toApiGatewayResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: response.isBase64Encoded === true,
  };
}
