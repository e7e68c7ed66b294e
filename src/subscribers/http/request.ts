import Negotiator from 'negotiator';
import * as v from 'valibot';
import { describeIssue } from '../../shared/schemas.js';
import { LANGS, type Lang } from '../types.js';
import { duplicateJsonKey } from './json-keys.js';

/** An HTTP request as the API core sees it, whatever server or gateway delivered it. */
export interface ApiRequest {
  method: string;
  /** Path without query, e.g. `/api/subscribe`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Uint8Array;
  sourceIp: string;
}

/** An HTTP response from the API core. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** `body` is base64 of binary content (a draft preview's picture). */
  isBase64Encoded?: boolean;
}

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 10 * 1024;

/** Message keys of the 4xx answers (`subscription.errors.<key>` in templates/strings/<lang>.json). */
export type ProblemCode =
  | 'email-empty'
  | 'email-too-long'
  | 'email-local-too-long'
  | 'email-syntax'
  | 'email-domain'
  | 'lang'
  | 'frequency'
  | 'categories'
  | 'action'
  | 'body'
  | 'media-type'
  | 'too-large'
  | 'token'
  | 'not-found'
  | 'method'
  | 'origin';

/** A request the API refuses with a 4xx status and a localized message. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    /** Extra response headers, e.g. `Allow` for 405. */
    readonly headers: Record<string, string> = {},
    /** The body field at fault (`categories[1]`), told to JSON clients. */
    readonly field?: string,
  ) {
    super(`HTTP ${status}: ${code}${field === undefined ? '' : ` (${field})`}`);
  }
}

/** Fields of a form or JSON body, read the same way. */
export interface Fields {
  /**
   * The value of a single-valued field; `undefined` when absent.
   *
   * @throws {HttpProblem} 400 when the field is given more than once (repeated in a form, a list
   *   in JSON): picking one of several addresses or actions would act on a guess.
   */
  get(name: string): string | undefined;
  /** Every value of a repeated field (form) or array (JSON). */
  getAll(name: string): string[];
}

export interface ParsedBody {
  kind: 'form' | 'json';
  fields: Fields;
}

/** Refuses bodies over {@link MAX_BODY_BYTES}, by declared and by actual size. */
export function checkBodySize(request: ApiRequest): void {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES || request.body.byteLength > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'too-large');
  }
}

function mediaType(request: ApiRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Whether the request body is JSON (so the answer should be JSON too). */
export function isJsonRequest(request: ApiRequest): boolean {
  const type = mediaType(request);
  return type === 'application/json' || type.endsWith('+json');
}

/** Whether the client prefers JSON to HTML (`Accept`), for GETs. */
export function prefersJson(request: ApiRequest): boolean {
  const accept = request.headers.accept;
  if (accept === undefined) return false;
  return (
    new Negotiator({ headers: { accept } }).mediaType(['text/html', 'application/json']) ===
    'application/json'
  );
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads an `application/x-www-form-urlencoded` or JSON body into {@link Fields}.
 *
 * @throws {HttpProblem} 415 for other media types, 400 for unreadable bodies.
 */
export function parseBody(request: ApiRequest): ParsedBody {
  let text: string;
  try {
    text = decoder.decode(request.body);
  } catch {
    throw new HttpProblem(400, 'body');
  }
  if (mediaType(request) === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(text);
    return {
      kind: 'form',
      fields: checked({
        get: (name) => {
          const values = params.getAll(name);
          if (values.length > 1) throw new HttpProblem(400, 'body');
          return values[0];
        },
        getAll: (name) => params.getAll(name),
      }),
    };
  }
  if (isJsonRequest(request)) return { kind: 'json', fields: checked(jsonFields(text)) };
  throw new HttpProblem(415, 'media-type');
}

// C0 and C1 controls but tab (CR, LF, NUL, NEL…), line and paragraph separators: no field a
// resident fills in needs them, and in a value that reaches a header or a log line they do harm.
const CONTROL = /(?!\t)[\p{Cc}\u2028\u2029]/u;

/** Refuses, with a 400, any field value that carries a control character. */
function checked(fields: Fields): Fields {
  const clean = (name: string) => (value: string) => {
    if (CONTROL.test(value)) throw new HttpProblem(400, name === 'email' ? 'email-syntax' : 'body');
    return value;
  };
  return {
    get: (name) => {
      const value = fields.get(name);
      return value === undefined ? undefined : clean(name)(value);
    },
    getAll: (name) => fields.getAll(name).map(clean(name)),
  };
}

const oneText = v.optional(v.nullable(v.string()));
const texts = v.optional(v.nullable(v.union([v.string(), v.array(v.string())])));

/**
 * A JSON body: an object with the fields the API reads (one text each, `categories` and the
 * honeypot `website` a text or a list of texts; `null` counts as absent). Other fields are not
 * read and pass.
 */
const jsonBody = v.looseObject({
  email: oneText,
  lang: oneText,
  language: oneText,
  frequency: oneText,
  action: oneText,
  scope: oneText,
  categories: texts,
  website: texts,
});

function jsonFields(text: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpProblem(400, 'body');
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate !== undefined) throw new HttpProblem(400, 'body', {}, duplicate);
  const result = v.safeParse(jsonBody, value);
  if (!result.success) {
    throw new HttpProblem(400, 'body', {}, issueField(result.issues));
  }
  const object = value as Record<string, unknown>;
  const field = (name: string): unknown => {
    const found = Object.hasOwn(object, name) ? object[name] : undefined;
    return found === null ? undefined : found;
  };
  const all = (name: string): string[] => {
    const found = field(name);
    if (found === undefined) return [];
    const list = Array.isArray(found) ? found : [found];
    if (!list.every((item) => typeof item === 'string'))
      throw new HttpProblem(400, 'body', {}, name);
    return list as string[];
  };
  const one = (name: string): string | undefined => {
    const found = field(name);
    if (found !== undefined && typeof found !== 'string')
      throw new HttpProblem(400, 'body', {}, name);
    return found;
  };
  return { get: one, getAll: all };
}

/** The field path of a schema issue (`categories[1]`), without the message: clients get theirs. */
function issueField(issues: readonly v.BaseIssue<unknown>[]): string | undefined {
  const described = describeIssue(issues);
  const colon = described.indexOf(': ');
  return colon === -1 ? undefined : described.slice(0, colon);
}

/**
 * The language to answer in: `explicit` when it is one we speak, else the best match of the
 * `Accept-Language` header, else `fallback`.
 */
export function pickLang(request: ApiRequest, fallback: Lang, explicit?: string): Lang {
  if (explicit !== undefined && (LANGS as readonly string[]).includes(explicit)) {
    return explicit as Lang;
  }
  const header = request.headers['accept-language'];
  if (header === undefined) return fallback;
  const best = new Negotiator({ headers: { 'accept-language': header } }).language([...LANGS]);
  return (best as Lang | undefined) ?? fallback;
}

/**
 * Whether a browser says a request comes from a page of another site: an `Origin` that is not
 * `siteOrigin` or one of `allowed` (`null` included), or, without an `Origin`, `Sec-Fetch-Site:
 * cross-site`. Requests with neither header are not from a browser page and pass: forging a
 * resident's request across sites needs their browser.
 */
export function isCrossSite(request: ApiRequest, siteOrigin: string, allowed: readonly string[]) {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin !== siteOrigin && !allowed.includes(origin);
  return request.headers['sec-fetch-site'] === 'cross-site';
}
