/**
 * Schemas (valibot) of the kinds of value environment variables hold. Each takes the trimmed,
 * non-blank text of a variable and gives its typed value; an issue's message completes the
 * sentence "<VARIABLE> …" (EnvReader adds the variable's name and the value it got).
 */
import * as v from 'valibot';

/** A schema from a variable's text to its value. */
export type VariableSchema<T> = v.GenericSchema<string, T>;

/** An integer within `[min, max]`. */
export function integerIn(min: number, max: number): VariableSchema<number> {
  const message = `must be an integer from ${min} to ${max}`;
  return v.pipe(
    v.string(),
    v.transform(Number),
    v.number(message),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
}

/**
 * `raw` as a normalised http(s) URL, or `undefined` if it is not one. Base URLs (`SITE_URL`) lose
 * their trailing slash, since paths are appended to them; endpoints keep `new URL()`'s form.
 */
function httpUrl(raw: string, { base = true } = {}): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return base ? url.href.replace(/\/+$/, '') : url.href;
  } catch {
    return undefined;
  }
}

const HTTP_URL = 'must be an http(s) URL';

/** An http(s) base URL such as `SITE_URL`, without a trailing slash. */
export const baseUrl: VariableSchema<string> = v.pipe(
  v.string(),
  v.check((raw) => httpUrl(raw) !== undefined, HTTP_URL),
  v.transform((raw) => httpUrl(raw) ?? raw),
);

/** An http(s) endpoint such as `WEBSUB_HUB`, in `new URL()`'s form. */
export const endpointUrl: VariableSchema<string> = v.pipe(
  v.string(),
  v.check((raw) => httpUrl(raw, { base: false }) !== undefined, HTTP_URL),
  v.transform((raw) => httpUrl(raw, { base: false }) ?? raw),
);

/** An IANA time zone this runtime knows, such as `Europe/Helsinki`. */
export const timeZoneName: VariableSchema<string> = v.pipe(
  v.string(),
  v.check((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Helsinki'),
);

/** A plain email address such as `viestinta@example.fi`. */
export const emailAddress: VariableSchema<string> = v.pipe(
  v.string(),
  v.regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
);
