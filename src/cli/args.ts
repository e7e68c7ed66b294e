import { parseArgs } from 'node:util';
import { closestName } from '../shared/edit-distance.js';

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

/** Parses `argv` strictly against `options`; unknown flags and stray values are usage errors. */
export function parseCommandArgs<T extends OptionSpec>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(plainArgsError(error as NodeJS.ErrnoException, Object.keys(options)));
  }
}

/** Node's parseArgs messages, shortened, with the flag probably meant for a misspelled one. */
function plainArgsError(error: NodeJS.ErrnoException, flags: readonly string[]): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'(-{1,2}[^'=\s]+)/.exec(error.message)?.[1] ?? '';
    const meant = closestName(given.replace(/^-+/, ''), flags);
    return meant === undefined
      ? `unknown option ${given}`
      : `unknown option ${given}; did you mean --${meant}?`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const given = /'([^']*)'/.exec(error.message)?.[1];
    return given === undefined
      ? 'unexpected argument'
      : `unexpected argument "${given}" (every value follows its flag, e.g. --out DIR)`;
  }
  return error.message;
}

/** Returns the value of a required string flag or throws a usage error naming it. */
export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`missing --${flag}`);
  return value;
}

/** Parses an ISO 8601 instant given on the command line. */
export function parseInstantFlag(value: string, flag: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag} must be an ISO 8601 date-time, got "${value}"`);
  }
  return date;
}

/** Parses the public site URL: http(s), no query or fragment, returned without a trailing slash. */
export function parseSiteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--site-url must be an absolute URL, got "${value}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new UsageError(
      `--site-url must be an http(s) URL without query or fragment, got "${value}"`,
    );
  }
  return url.href.replace(/\/+$/, '');
}
