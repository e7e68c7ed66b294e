import { isIdAuthority } from '../release/identity.js';
import { parseDuration } from '../release/newness.js';
import { DEFAULT_SITE, type SiteConfig } from '../site/config.js';
import { readBranding } from '../site/site-config.js';

/** The environment is missing a variable or holds an unusable value; names every culprit. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The variables at fault, in the order they were read. */
    readonly variables: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads variables from an environment, collecting every problem instead of stopping at the first,
 * so one cold start names everything an operator has to fix.
 */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: { name: string; message: string }[] = [];

  constructor(env: Env) {
    this.#env = env;
  }

  /** A required, non-blank variable. */
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) {
      this.#problems.push({ name, message: `${name} is not set` });
      return '';
    }
    return value;
  }

  /** A variable that may be absent; blank counts as absent. */
  optional(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** An optional variable with a default. */
  withDefault(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  /** An optional integer within `[min, max]`. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.#problems.push({
        name,
        message: `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
      });
      return fallback;
    }
    return value;
  }

  /** An http(s) URL, returned without a trailing slash. */
  url(name: string, required: true): string;
  url(name: string, required: false): string | undefined;
  url(name: string, required: boolean): string | undefined {
    const raw = required ? this.required(name) : this.optional(name);
    if (!raw) return raw;
    const url = httpUrl(raw);
    if (url === undefined) {
      this.#problems.push({ name, message: `${name} must be an http(s) URL, got "${raw}"` });
      return raw;
    }
    return url;
  }

  /** An IANA time zone such as `Europe/Helsinki`. */
  timeZone(name: string, fallback: string): string {
    const zone = this.withDefault(name, fallback);
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      this.#problems.push({
        name,
        message: `${name} must be an IANA time zone such as Europe/Helsinki, got "${zone}"`,
      });
    }
    return zone;
  }

  /** Records a problem found by the caller's own validation. */
  reject(name: string, message: string): void {
    this.#problems.push({ name, message });
  }

  /** Throws one {@link ConfigError} naming every problem seen so far; returns when there is none. */
  done(): void {
    if (this.#problems.length === 0) return;
    const names = [...new Set(this.#problems.map((problem) => problem.name))];
    throw new ConfigError(
      names,
      `Configuration error: ${this.#problems.map((problem) => problem.message).join('; ')}`,
    );
  }
}

/** Where the buckets are. */
export interface StorageConfig {
  releasesBucket: string;
  publicBucket: string;
  /** AWS region; the SDK's own default chain applies when unset. */
  region?: string;
  /** Non-AWS S3 endpoint (s3rver, MinIO); implies path-style addressing. */
  s3Endpoint?: string;
}

/**
 * `raw` as a normalised http(s) URL, or `undefined` if it is not one. Base URLs (`SITE_URL`) lose
 * their trailing slash, since paths are appended to them; endpoints keep `new URL()`'s form.
 */
export function httpUrl(raw: string, { base = true } = {}): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return base ? url.href.replace(/\/+$/, '') : url.href;
  } catch {
    return undefined;
  }
}

/** Everything the publishing functions read from the environment. */
export interface PipelineConfig {
  site: SiteConfig;
  storage: StorageConfig;
  /** Staff address for rejection reports; no mail is requested when unset. */
  staffEmail?: string;
  /** SQS queue that takes the pipeline's notices (first publications, staff reports). */
  notificationQueueUrl?: string;
}

/** Reads the site settings: `SITE_URL` is required, the rest default as in {@link DEFAULT_SITE}. */
export function readSiteConfig(reader: EnvReader): SiteConfig {
  const title = reader.withDefault('SITE_TITLE', DEFAULT_SITE.title);
  const defaultLang = reader.withDefault('DEFAULT_LANG', DEFAULT_SITE.defaultLang);
  return {
    siteUrl: reader.url('SITE_URL', true),
    title,
    defaultLang,
    timeZone: reader.timeZone('TIME_ZONE', DEFAULT_SITE.timeZone),
    feedLimit: reader.integer('FEED_LIMIT', DEFAULT_SITE.feedLimit, 1, 1000),
    ...idAuthorityOf(reader),
    ...websubHubOf(reader),
    ...notifyMaxAgeOf(reader),
    branding: readBranding(reader, title, defaultLang),
  };
}

/** `NOTIFY_MAX_AGE`, when set (see {@link SiteConfig.notifyMaxAgeMs}). */
function notifyMaxAgeOf(reader: EnvReader): { notifyMaxAgeMs?: number } {
  const raw = reader.optional('NOTIFY_MAX_AGE');
  if (raw === undefined) return {};
  const ms = parseDuration(raw);
  if (ms === undefined) {
    reader.reject(
      'NOTIFY_MAX_AGE',
      `NOTIFY_MAX_AGE must be a duration such as 48h, 2d or 90m, got "${raw}"`,
    );
    return {};
  }
  return { notifyMaxAgeMs: ms };
}

/** `WEBSUB_HUB`, when set (see {@link SiteConfig.websubHub}). */
function websubHubOf(reader: EnvReader): { websubHub?: string } {
  const raw = reader.optional('WEBSUB_HUB');
  if (raw === undefined) return {};
  const hub = httpUrl(raw, { base: false });
  if (hub === undefined)
    reader.reject('WEBSUB_HUB', `WEBSUB_HUB must be an http(s) URL, got "${raw}"`);
  return { websubHub: hub ?? raw };
}

/** `ID_AUTHORITY`, when set (see {@link SiteConfig.idAuthority}). */
function idAuthorityOf(reader: EnvReader): { idAuthority?: string } {
  const value = reader.optional('ID_AUTHORITY');
  if (value === undefined) return {};
  if (!isIdAuthority(value)) {
    reader.reject(
      'ID_AUTHORITY',
      `ID_AUTHORITY must be a host name such as tiedotteet.example.fi, got "${value}"`,
    );
  }
  return { idAuthority: value };
}

/** Reads the bucket names and the optional S3 endpoint. */
export function readStorageConfig(reader: EnvReader): StorageConfig {
  return {
    releasesBucket: reader.required('RELEASES_BUCKET'),
    publicBucket: reader.required('PUBLIC_BUCKET'),
    region: reader.optional('AWS_REGION'),
    s3Endpoint: reader.url('S3_ENDPOINT', false),
  };
}

/**
 * The publishing functions' configuration, read once at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readPipelineConfig(env: Env): PipelineConfig {
  const reader = new EnvReader(env);
  const config: PipelineConfig = {
    site: readSiteConfig(reader),
    storage: readStorageConfig(reader),
    staffEmail: reader.optional('STAFF_EMAIL'),
    notificationQueueUrl: reader.optional('IMMEDIATE_QUEUE_URL'),
  };
  if (config.staffEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(config.staffEmail)) {
    reader.reject(
      'STAFF_EMAIL',
      `STAFF_EMAIL must be an email address, got "${config.staffEmail}"`,
    );
  }
  reader.done();
  return config;
}
