import { describe, expect, it } from 'vitest';
import { ConfigError, EnvReader } from '../../src/config/env-reader.js';
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
