import type { Mailbox } from '../mail/compose.js';
import type { SiteBranding } from '../site/config.js';
import {
  type ConfirmationLimits,
  DEFAULT_CONFIRMATION_LIMITS,
  parseRateRules,
} from '../subscribers/limits.js';
import { LANGS, type Lang } from '../subscribers/types.js';
import { type Env, EnvReader } from './env-reader.js';
import { readMailFrom, readTokenSecret } from './mail.js';
import { readBranding } from './site.js';
import { httpOrigins, oneOf, parsedBy, snsTopicArn } from './variables.js';

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

const rateRules = parsedBy(parseRateRules, 'must be rules like 1/10m,3/24h (count/duration)');

// Exactly as the site build reads it (src/config/site.ts), so pages and mail agree.
const pageLang = oneOf(LANGS);

function readStorage(reader: EnvReader): SubscriberStorageConfig {
  return {
    tokenSecret: readTokenSecret(reader),
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

/**
 * The SES-notifications function's configuration, read once at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readSesNotificationsConfig(env: Env): SesNotificationsConfig {
  const reader = new EnvReader(env);
  const storage = readStorage(reader);
  const topicArn = reader.requiredAs('SES_NOTIFICATIONS_TOPIC_ARN', snsTopicArn, '');
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
  const defaultLang = reader.read('DEFAULT_LANG', pageLang, 'fi');
  const config: SubscriptionsApiConfig = {
    ...storage,
    siteUrl,
    siteTitle,
    branding: readBranding(reader, siteTitle, defaultLang),
    mailFrom,
    sesEndpoint: reader.url('SES_ENDPOINT', false),
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
    defaultLang,
    confirmationLimits: {
      mailbox: reader.read('CONFIRM_LIMIT_MAILBOX', rateRules, DEFAULT_CONFIRMATION_LIMITS.mailbox),
      network: reader.read('CONFIRM_LIMIT_NETWORK', rateRules, DEFAULT_CONFIRMATION_LIMITS.network),
      globalPerHour: reader.integer(
        'CONFIRM_LIMIT_HOURLY',
        DEFAULT_CONFIRMATION_LIMITS.globalPerHour,
        0,
        1_000_000,
      ),
    },
    subscribeAnswerMs: reader.integer('SUBSCRIBE_ANSWER_MS', 1000, 0, 20_000),
    allowedOrigins: reader.read('ALLOWED_ORIGINS', httpOrigins, []),
  };
  reader.done();
  return config;
}
