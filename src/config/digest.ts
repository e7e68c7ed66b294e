import { DEFAULT_SCHEDULE, type DigestSchedule, parseClockTime } from '../digest/schedule.js';
import type { Mailbox } from '../mail/compose.js';
import type { SiteConfig } from '../site/config.js';
import { type Env, EnvReader } from './env-reader.js';
import { readMailFrom, readTokenSecret } from './mail.js';
import { readSiteConfig } from './site.js';
import { oneOf, parsedBy, positiveNumberUpTo } from './variables.js';

/** What functions/send-digest.ts, functions/send-immediate.ts and `send-digest` read. */
export interface DigestConfig {
  site: SiteConfig;
  /** RELEASES_BUCKET: the private bucket (`state/`, `subscribers/`, `digests/`). */
  releasesBucket: string;
  region?: string;
  s3Endpoint?: string;
  sesEndpoint?: string;
  sesConfigurationSet?: string;
  /** MAIL_FROM */
  mailFrom: Mailbox;
  /** TOKEN_SECRET: signs each recipient's unsubscribe and preferences links. */
  tokenSecret: string;
  /** SES_SEND_RATE: messages per second; else SES GetSendQuota's MaxSendRate. */
  sendRate?: number;
  /** DIGEST_QUEUE_URL: continuations of digest runs. */
  digestQueueUrl?: string;
  /** IMMEDIATE_QUEUE_URL: continuations of immediate mail. */
  immediateQueueUrl?: string;
  /** DIGEST_DAILY_AT (08:00), DIGEST_WEEKLY_AT (08:00), DIGEST_WEEKLY_DAY (1 = Monday), TIME_ZONE. */
  schedule: DigestSchedule;
  /** STAFF_LANG (fi default, sv, en) and STAFF_NOTIFY (all default, problems): staff mail. */
  staff: StaffMailSettings;
}

/** How staff are mailed about their uploads. */
export interface StaffMailSettings {
  /** The language of every staff mail. */
  lang: StaffLang;
  /** `all`: confirmations and rejections; `problems`: rejections and uploads with warnings. */
  notify: 'all' | 'problems';
}

/** Languages staff mail is written in. */
type StaffLang = 'fi' | 'sv' | 'en';

// Read in any letter case, as they always were.
const staffLang = oneOf(['fi', 'sv', 'en'], { anyCase: true });
const staffNotify = oneOf(['all', 'problems'], { anyCase: true });
const clockTime = parsedBy(parseClockTime, 'must be a time such as 08:00');
const sendRate = positiveNumberUpTo(10_000, 'messages per second');

/**
 * The digest functions' configuration, read once at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readDigestConfig(env: Env): DigestConfig {
  const reader = new EnvReader(env);
  const site = readSiteConfig(reader);
  const tokenSecret = readTokenSecret(reader);
  const mailFrom = readMailFrom(reader);
  const time = (name: string) => reader.read(name, clockTime, { hour: 8, minute: 0 });
  const config: DigestConfig = {
    site,
    releasesBucket: reader.required('RELEASES_BUCKET'),
    region: reader.optional('AWS_REGION'),
    s3Endpoint: reader.url('S3_ENDPOINT', false),
    sesEndpoint: reader.url('SES_ENDPOINT', false),
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
    mailFrom: mailFrom.name ? mailFrom : { ...mailFrom, name: site.title },
    tokenSecret,
    sendRate: reader.read('SES_SEND_RATE', sendRate, undefined),
    digestQueueUrl: reader.optional('DIGEST_QUEUE_URL'),
    immediateQueueUrl: reader.optional('IMMEDIATE_QUEUE_URL'),
    schedule: {
      timeZone: site.timeZone,
      daily: time('DIGEST_DAILY_AT'),
      weekly: {
        ...time('DIGEST_WEEKLY_AT'),
        weekday: reader.integer('DIGEST_WEEKLY_DAY', DEFAULT_SCHEDULE.weekly.weekday, 1, 7),
      },
    },
    staff: {
      lang: reader.read('STAFF_LANG', staffLang, 'fi'),
      notify: reader.read('STAFF_NOTIFY', staffNotify, 'all'),
    },
  };
  reader.done();
  return config;
}
