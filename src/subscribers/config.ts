import type { Mailbox } from '../mail/compose.js';
import { parseMailbox } from '../mail/mailbox.js';
import { EnvReader } from '../shared/env.js';
import { MIN_SECRET_BYTES } from './keys.js';
import { isLang, type Lang } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

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
  /** MAIL_FROM, e.g. `Esimerkkilä <uutiset@esimerkkila.fi>`. */
  mailFrom: Mailbox;
  /** SES_ENDPOINT: non-AWS SES endpoint (local stack). */
  sesEndpoint?: string;
  /** SES_CONFIGURATION_SET: publishes bounce and complaint events, when set. */
  sesConfigurationSet?: string;
  /** DEFAULT_LANG (fi): language of pages when the visitor's is unknown. */
  defaultLang: Lang;
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
  const mailFromText = reader.required('MAIL_FROM');
  let mailFrom: Mailbox = { address: '' };
  if (mailFromText !== '') {
    try {
      mailFrom = parseMailbox(mailFromText);
    } catch (error) {
      reader.reject('MAIL_FROM', `MAIL_FROM: ${(error as Error).message}`);
    }
  }
  const defaultLang = reader.withDefault('DEFAULT_LANG', 'fi');
  if (!isLang(defaultLang)) reader.reject('DEFAULT_LANG', 'DEFAULT_LANG must be fi, sv or en');
  const config: SubscriptionsApiConfig = {
    ...storage,
    siteUrl,
    siteTitle,
    mailFrom,
    sesEndpoint: reader.url('SES_ENDPOINT', false),
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
    defaultLang: isLang(defaultLang) ? defaultLang : 'fi',
  };
  reader.done();
  return config;
}
