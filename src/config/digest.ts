import { DEFAULT_SCHEDULE, type DigestSchedule, parseClockTime } from '../digest/schedule.js';
import type { Mailbox } from '../mail/compose.js';
import { parseMailbox } from '../mail/mailbox.js';
import type { SiteConfig } from '../site/config.js';
import { MIN_SECRET_BYTES } from '../subscribers/keys.js';
import { type Env, EnvReader } from './env-reader.js';
import { readSiteConfig } from './site.js';

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

/** Reads STAFF_LANG and STAFF_NOTIFY, recording a problem for an unknown value. */
function readStaffMailSettings(reader: EnvReader): StaffMailSettings {
  const lang = reader.withDefault('STAFF_LANG', 'fi').toLowerCase();
  const notify = reader.withDefault('STAFF_NOTIFY', 'all').toLowerCase();
  if (lang !== 'fi' && lang !== 'sv' && lang !== 'en') {
    reader.reject('STAFF_LANG', `STAFF_LANG must be fi, sv or en, got "${lang}"`);
  }
  if (notify !== 'all' && notify !== 'problems') {
    reader.reject('STAFF_NOTIFY', `STAFF_NOTIFY must be all or problems, got "${notify}"`);
  }
  return {
    lang: lang === 'sv' || lang === 'en' ? lang : 'fi',
    notify: notify === 'problems' ? 'problems' : 'all',
  };
}

/**
 * The digest functions' configuration, read once at cold start.
 *
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readDigestConfig(env: Env): DigestConfig {
  const reader = new EnvReader(env);
  const site = readSiteConfig(reader);
  const tokenSecret = reader.required('TOKEN_SECRET');
  if (tokenSecret !== '' && Buffer.byteLength(tokenSecret, 'utf8') < MIN_SECRET_BYTES) {
    reader.reject('TOKEN_SECRET', `TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  let mailFrom: Mailbox = { address: '' };
  const mailFromText = reader.required('MAIL_FROM');
  if (mailFromText !== '') {
    try {
      mailFrom = parseMailbox(mailFromText);
    } catch (error) {
      reader.reject('MAIL_FROM', `MAIL_FROM: ${(error as Error).message}`);
    }
  }
  const rateText = reader.optional('SES_SEND_RATE');
  const sendRate = rateText === undefined ? undefined : Number(rateText);
  if (sendRate !== undefined && !(sendRate > 0 && sendRate <= 10_000)) {
    reader.reject(
      'SES_SEND_RATE',
      `SES_SEND_RATE must be a number of messages per second, got "${rateText}"`,
    );
  }
  const time = (name: string) => {
    const value = reader.withDefault(name, '08:00');
    const parsed = parseClockTime(value);
    if (!parsed) reader.reject(name, `${name} must be a time such as 08:00, got "${value}"`);
    return parsed ?? { hour: 8, minute: 0 };
  };
  const config: DigestConfig = {
    site,
    releasesBucket: reader.required('RELEASES_BUCKET'),
    region: reader.optional('AWS_REGION'),
    s3Endpoint: reader.url('S3_ENDPOINT', false),
    sesEndpoint: reader.url('SES_ENDPOINT', false),
    sesConfigurationSet: reader.optional('SES_CONFIGURATION_SET'),
    mailFrom: mailFrom.name ? mailFrom : { ...mailFrom, name: site.title },
    tokenSecret,
    sendRate,
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
    staff: readStaffMailSettings(reader),
  };
  reader.done();
  return config;
}
