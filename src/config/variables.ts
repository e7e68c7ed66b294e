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

/**
 * One of `values`; the message lists them: "must be fi, sv or en". With `anyCase`, compared
 * case-insensitively (`STAFF_NOTIFY=Problems` means `problems`).
 */
export function oneOf<const T extends string>(
  values: readonly T[],
  { anyCase = false } = {},
): VariableSchema<T> {
  const listed = `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  const choice = v.picklist(values, `must be ${listed}`);
  return anyCase ? v.pipe(v.string(), v.toLowerCase(), choice) : v.pipe(v.string(), choice);
}

/** A number in `(0, max]`, such as a send rate; `what` completes "must be a number of …". */
export function positiveNumberUpTo(max: number, what: string): VariableSchema<number> {
  const message = `must be a number of ${what}, above 0 and at most ${max}`;
  return v.pipe(
    v.string(),
    v.transform(Number),
    v.number(message),
    v.gtValue(0, message),
    v.maxValue(max, message),
  );
}

/** A secret of at least `bytes` bytes of UTF-8 (read it with `{ secret: true }`). */
export function secretOfAtLeast(bytes: number): VariableSchema<string> {
  return v.pipe(
    v.string(),
    v.check(
      (text) => Buffer.byteLength(text, 'utf8') >= bytes,
      `must be at least ${bytes} bytes long`,
    ),
  );
}

/**
 * Comma-separated http(s) origins (`https://www.example.fi,https://example.fi`), each normalised
 * to `new URL().origin`; an issue names every entry that is not one.
 */
export const httpOrigins: VariableSchema<string[]> = v.pipe(
  v.string(),
  v.transform((text) => text.split(',').map((part) => part.trim())),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const origins = dataset.value.map(originOf);
    const bad = dataset.value.filter((_, index) => origins[index] === undefined);
    if (bad.length === 0) return origins as string[];
    const named = bad.map((part) => `"${part}"`).join(', ');
    addIssue({ message: `must be http(s) origins separated by commas (${named} is not one)` });
    return NEVER;
  }),
);

function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** An SNS topic ARN such as `arn:aws:sns:eu-north-1:123456789012:ses-notifications`. */
export const snsTopicArn: VariableSchema<string> = v.pipe(
  v.string(),
  v.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be an SNS topic ARN'),
);

/**
 * Text that `parse` turns into a value, or throws on; `message` completes "<VARIABLE> …" when
 * it throws. For the formats whose parser lives beside the code that uses them (rate rules,
 * clock times, mailboxes), so the format has one definition.
 */
export function parsedBy<T>(
  parse: (text: string) => T | undefined,
  message: string,
): VariableSchema<T> {
  return v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      let value: T | undefined;
      try {
        value = parse(dataset.value);
      } catch {
        value = undefined;
      }
      if (value !== undefined) return value;
      addIssue({ message });
      return NEVER;
    }),
  );
}
