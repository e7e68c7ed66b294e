import { describe, expect, it } from 'vitest';
import { readDigestConfig } from '../../src/config/digest.js';
import { ConfigError, EnvReader } from '../../src/config/env-reader.js';
import {
  readSesNotificationsConfig,
  readSubscriptionsApiConfig,
} from '../../src/config/subscribers.js';
import { baseUrl, emailAddress, integerIn, timeZoneName } from '../../src/config/variables.js';

function problems(read: (reader: EnvReader) => void, env: Record<string, string>): ConfigError {
  const reader = new EnvReader(env);
  read(reader);
  try {
    reader.done();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('EnvReader.read with a variable schema', () => {
  it('gives the typed value, trimmed, and the fallback when the variable is blank or absent', () => {
    const reader = new EnvReader({
      FEED_LIMIT: ' 25 ',
      SITE_URL: 'https://example.fi/',
      BLANK: ' ',
    });
    expect(reader.read('FEED_LIMIT', integerIn(1, 1000), 50)).toBe(25);
    expect(reader.read('SITE_URL', baseUrl, '')).toBe('https://example.fi');
    expect(reader.read('BLANK', integerIn(1, 9), 7)).toBe(7);
    expect(reader.read('ABSENT', timeZoneName, 'Europe/Helsinki')).toBe('Europe/Helsinki');
    reader.done();
  });

  it('names every malformed variable and the value it got, in one ConfigError', () => {
    const error = problems(
      (reader) => {
        reader.read('FEED_LIMIT', integerIn(1, 1000), 50);
        reader.read('SITE_URL', baseUrl, '');
        reader.read('TIME_ZONE', timeZoneName, 'Europe/Helsinki');
        reader.read('STAFF_EMAIL', emailAddress, undefined);
      },
      { FEED_LIMIT: '1.5', SITE_URL: 'ftp://x', TIME_ZONE: 'Mars/Base', STAFF_EMAIL: 'nobody' },
    );
    expect(error.variables).toEqual(['FEED_LIMIT', 'SITE_URL', 'TIME_ZONE', 'STAFF_EMAIL']);
    expect(error.message).toBe(
      'Configuration error: FEED_LIMIT must be an integer from 1 to 1000, got "1.5"; ' +
        'SITE_URL must be an http(s) URL, got "ftp://x"; ' +
        'TIME_ZONE must be an IANA time zone such as Europe/Helsinki, got "Mars/Base"; ' +
        'STAFF_EMAIL must be an email address, got "nobody"',
    );
  });

  it('reports a number out of range once, not once per failed check', () => {
    const error = problems((reader) => reader.integer('FEED_LIMIT', 50, 1, 1000), {
      FEED_LIMIT: 'lots',
    });
    expect(error.message).toBe(
      'Configuration error: FEED_LIMIT must be an integer from 1 to 1000, got "lots"',
    );
  });
});

describe('the mail and digest variables as schemas', () => {
  const base = {
    SITE_URL: 'https://tiedotteet.example.fi',
    RELEASES_BUCKET: 'releases',
    SITE_TITLE: 'Esimerkkilä',
    TOKEN_SECRET: 'x'.repeat(32),
    MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
  };

  it('reads every digest variable to its typed value, staff choices in any letter case', () => {
    const config = readDigestConfig({
      ...base,
      SES_SEND_RATE: '14.5',
      DIGEST_DAILY_AT: '7:30',
      DIGEST_WEEKLY_AT: '16:05',
      STAFF_LANG: 'SV',
      STAFF_NOTIFY: 'Problems',
    });
    expect(config.sendRate).toBe(14.5);
    expect(config.schedule.daily).toEqual({ hour: 7, minute: 30 });
    expect(config.schedule.weekly).toMatchObject({ hour: 16, minute: 5 });
    expect(config.staff).toEqual({ lang: 'sv', notify: 'problems' });
    expect(config.mailFrom).toEqual({ name: 'Esimerkkilä', address: 'uutiset@esimerkkila.fi' });
  });

  it('names every bad digest variable once, and never repeats the token secret', () => {
    const secret = 'short-secret-value';
    let error: unknown;
    try {
      readDigestConfig({
        ...base,
        TOKEN_SECRET: secret,
        MAIL_FROM: 'a@x.fi, b@x.fi',
        SES_SEND_RATE: '0',
        DIGEST_DAILY_AT: '24:00',
        DIGEST_WEEKLY_AT: 'noon',
        STAFF_LANG: 'de',
        STAFF_NOTIFY: 'never',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { variables, message } = error as ConfigError;
    expect(variables).toEqual([
      'TOKEN_SECRET',
      'MAIL_FROM',
      'SES_SEND_RATE',
      'DIGEST_DAILY_AT',
      'DIGEST_WEEKLY_AT',
      'STAFF_LANG',
      'STAFF_NOTIFY',
    ]);
    expect(message).toContain('TOKEN_SECRET must be at least 32 bytes long;');
    expect(message).not.toContain(secret);
    expect(message).toContain(
      'MAIL_FROM must be one sender address such as "Esimerkkilä <uutiset@esimerkkila.fi>", got "a@x.fi, b@x.fi"',
    );
    expect(message).toContain(
      'SES_SEND_RATE must be a number of messages per second, above 0 and at most 10000, got "0"',
    );
    expect(message).toContain('DIGEST_DAILY_AT must be a time such as 08:00, got "24:00"');
    expect(message).toContain('STAFF_LANG must be fi, sv or en, got "de"');
    expect(message).toContain('STAFF_NOTIFY must be all or problems, got "never"');
    expect(message.match(/SES_SEND_RATE/g)).toHaveLength(1);
  });

  it('reads the subscription API variables and names each bad one', () => {
    const config = readSubscriptionsApiConfig({
      ...base,
      DEFAULT_LANG: 'en',
      CONFIRM_LIMIT_MAILBOX: '2/1h, 5/24h',
      ALLOWED_ORIGINS: 'https://www.example.fi/tilaa, http://localhost:8080',
    });
    expect(config.defaultLang).toBe('en');
    expect(config.confirmationLimits.mailbox).toEqual([
      { count: 2, windowMs: 3_600_000 },
      { count: 5, windowMs: 86_400_000 },
    ]);
    expect(config.allowedOrigins).toEqual(['https://www.example.fi', 'http://localhost:8080']);

    let error: unknown;
    try {
      readSubscriptionsApiConfig({
        ...base,
        DEFAULT_LANG: 'de',
        CONFIRM_LIMIT_NETWORK: '3 per hour',
        ALLOWED_ORIGINS: 'https://www.example.fi, ftp://files.example.fi, nonsense',
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).variables).toEqual([
      'DEFAULT_LANG',
      'CONFIRM_LIMIT_NETWORK',
      'ALLOWED_ORIGINS',
    ]);
    expect((error as ConfigError).message).toBe(
      'Configuration error: DEFAULT_LANG must be fi, sv or en, got "de"; ' +
        'CONFIRM_LIMIT_NETWORK must be rules like 1/10m,3/24h (count/duration), got "3 per hour"; ' +
        'ALLOWED_ORIGINS must be http(s) origins separated by commas ("ftp://files.example.fi", "nonsense" is not one), ' +
        'got "https://www.example.fi, ftp://files.example.fi, nonsense"',
    );
  });

  it('requires an SNS topic ARN for SES notifications', () => {
    const read = (arn: string) =>
      readSesNotificationsConfig({ ...base, SES_NOTIFICATIONS_TOPIC_ARN: arn });
    expect(read('arn:aws:sns:eu-north-1:123456789012:ses-notifications').topicArn).toBe(
      'arn:aws:sns:eu-north-1:123456789012:ses-notifications',
    );
    expect(() => read('ses-notifications')).toThrow(
      'SES_NOTIFICATIONS_TOPIC_ARN must be an SNS topic ARN, got "ses-notifications"',
    );
    expect(() => read(' ')).toThrow('SES_NOTIFICATIONS_TOPIC_ARN is not set');
  });
});
