import type { Mailbox } from '../mail/compose.js';
import { parseMailbox } from '../mail/mailbox.js';
import type { SiteBranding } from '../site/config.js';
import { MIN_SECRET_BYTES } from '../subscribers/keys.js';
import {
  type ConfirmationLimits,
  DEFAULT_CONFIRMATION_LIMITS,
  parseRateRules,
  type RateRule,
} from '../subscribers/limits.js';
import { isLang, type Lang } from '../subscribers/types.js';
import { type Env, EnvReader } from './env-reader.js';
import { readBranding } from './site.js';

/** What functions/ses-notifications.ts reads from the environment. */
export interface SubscriberStorageConfig {
  /** TOKEN_SECRET: signs tokens and keys address hashes (SSM in production). */
  tokenSecret: string;
  /** RELEASES_BUCKET: the private bucket holding `subscribers/`. */
  releasesBucket: string;
  /** S3_ENDPOINT: non-AWS S3 endpoint (local stack). */
  s3Endpoint?: string;
  region?: string;
}

/** What functions/subscriptions-api.ts reads from the environment. */
export interface SubscriptionsApiConfig extends SubscriberStorageConfig {
  /** SITE_URL without a trailing slash; the API answers under `${siteUrl}/api/`. */
  siteUrl: string;
  /** SITE_TITLE */
  siteTitle: string;
  /** SITE_NAME_FI/SV/EN, SITE_LOGO, SITE_COLOR, …: the same branding the site build reads. */
  branding: SiteBranding;
  /** MAIL_FROM, e.g. `Esimerkkilä <uutiset@esimerkkila.fi>`. */
  mailFrom: Mailbox;
  /** SES_ENDPOINT: non-AWS SES endpoint (local stack). */
  sesEndpoint?: string;
  /** SES_CONFIGURATION_SET: publishes bounce and complaint events, when set. */
  sesConfigurationSet?: string;
  /** DEFAULT_LANG (fi): language of pages when the visitor's is unknown. */
  defaultLang: Lang;
  /** CONFIRM_LIMIT_MAILBOX, CONFIRM_LIMIT_NETWORK, CONFIRM_LIMIT_HOURLY. */
  confirmationLimits: ConfirmationLimits;
  /** SUBSCRIBE_ANSWER_MS (1000): every sign-up is answered this long after it arrived. */
  subscribeAnswerMs: number;
  /**
   * ALLOWED_ORIGINS: origins besides the site's own whose pages may POST to the API (the city's
   * main website, where the subscribe form is embedded), comma-separated.
   */
  allowedOrigins: string[];
}

function rateRules(reader: EnvReader, name: string, fallback: RateRule[]): RateRule[] {
  const raw = reader.optional(name);
  if (raw === undefined) return fallback;
  const rules = parseRateRules(raw);
  if (rules === undefined) {
    reader.reject(name, `${name} must be rules like 1/10m,3/24h (count/duration), got "${raw}"`);
  }
  return rules ?? fallback;
}

function origins(reader: EnvReader): string[] {
  const raw = reader.optional('ALLOWED_ORIGINS');
  if (raw === undefined) return [];
  return raw.split(',').flatMap((text) => {
    try {
      const url = new URL(text.trim());
      if (url.protocol === 'https:' || url.protocol === 'http:') return [url.origin];
    } catch {}
    reader.reject('ALLOWED_ORIGINS', `ALLOWED_ORIGINS: "${text.trim()}" is not an http(s) origin`);
    return [];
  });
}

function readStorage(reader: EnvReader): SubscriberStorageConfig {
  const tokenSecret = reader.required('TOKEN_SECRET');
  if (tokenSecret !== '' && Buffer.byteLength(tokenSecret, 'utf8') < MIN_SECRET_BYTES) {
    reader.reject('TOKEN_SECRET', `TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  return {
    tokenSecret,
    releasesBucket: reader.required('RELEASES_BUCKET'),
    s3Endpoint: reader.url('S3_ENDPOINT', false),
    region: reader.optional('AWS_REGION'),
  };
}

/**
 * The subscriber store's configuration (for functions that only touch `subscribers/`), read once
 * at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readSubscriberStorageConfig(env: Env): SubscriberStorageConfig {
  const reader = new EnvReader(env);
  const config = readStorage(reader);
  reader.done();
  return config;
}

/** What functions/ses-notifications.ts reads from the environment. */
export interface SesNotificationsConfig extends SubscriberStorageConfig {
  /** SES_NOTIFICATIONS_TOPIC_ARN: the only topic whose notifications are applied. */
  topicArn: string;
  /** MAIL_FROM's address: notifications about mail from anyone else are ignored. */
  mailFrom: string;
  /** SES_CONFIGURATION_SET */
  sesConfigurationSet?: string;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/**
 * The SES-notifications function's configuration, read once at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readSesNotificationsConfig(env: Env): SesNotificationsConfig {
  const reader = new EnvReader(env);
  const storage = readStorage(reader);
  const topicArn = reader.required('SES_NOTIFICATIONS_TOPIC_ARN');
  if (topicArn !== '' && !TOPIC_ARN.test(topicArn)) {
    reader.reject(
      'SES_NOTIFICATIONS_TOPIC_ARN',
      'SES_NOTIFICATIONS_TOPIC_ARN must be an SNS topic ARN',
    );
  }
  const mailFrom = readMailFrom(reader);
  const config = {
    ...storage,
    topicArn,
    mailFrom: mailFrom.address,
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
  };
  reader.done();
  return config;
}

function readMailFrom(reader: EnvReader): Mailbox {
  const text = reader.required('MAIL_FROM');
  if (text === '') return { address: '' };
  try {
    return parseMailbox(text);
  } catch (error) {
    reader.reject('MAIL_FROM', `MAIL_FROM: ${(error as Error).message}`);
    return { address: '' };
  }
}

/**
 * The subscriptions API's configuration, read once at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readSubscriptionsApiConfig(env: Env): SubscriptionsApiConfig {
  const reader = new EnvReader(env);
  const storage = readStorage(reader);
  const siteUrl = reader.url('SITE_URL', true);
  const siteTitle = reader.required('SITE_TITLE');
  const mailFrom = readMailFrom(reader);
  const defaultLang = reader.withDefault('DEFAULT_LANG', 'fi');
  if (!isLang(defaultLang)) reader.reject('DEFAULT_LANG', 'DEFAULT_LANG must be fi, sv or en');
  const config: SubscriptionsApiConfig = {
    ...storage,
    siteUrl,
    siteTitle,
    branding: readBranding(reader, siteTitle, isLang(defaultLang) ? defaultLang : 'fi'),
    mailFrom,
    sesEndpoint: reader.url('SES_ENDPOINT', false),
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
    defaultLang: isLang(defaultLang) ? defaultLang : 'fi',
    confirmationLimits: {
      mailbox: rateRules(reader, 'CONFIRM_LIMIT_MAILBOX', DEFAULT_CONFIRMATION_LIMITS.mailbox),
      network: rateRules(reader, 'CONFIRM_LIMIT_NETWORK', DEFAULT_CONFIRMATION_LIMITS.network),
      globalPerHour: reader.integer(
        'CONFIRM_LIMIT_HOURLY',
        DEFAULT_CONFIRMATION_LIMITS.globalPerHour,
        0,
        1_000_000,
      ),
    },
    subscribeAnswerMs: reader.integer('SUBSCRIBE_ANSWER_MS', 1000, 0, 20_000),
    allowedOrigins: origins(reader),
  };
  reader.done();
  return config;
}
