import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/config/env-reader.js';
import {
  readSubscriberStorageConfig,
  readSubscriptionsApiConfig,
} from '../../src/config/subscribers.js';

const complete = {
  TOKEN_SECRET: 'x'.repeat(32),
  RELEASES_BUCKET: 'releases',
  SITE_URL: 'https://tiedotteet.example.fi/',
  SITE_TITLE: 'Esimerkkilä',
  MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
};

describe('configuration', () => {
  test('reads a complete environment', () => {
    expect(readSubscriptionsApiConfig(complete)).toMatchObject({
      siteUrl: 'https://tiedotteet.example.fi',
      mailFrom: { name: 'Esimerkkilä', address: 'uutiset@esimerkkila.fi' },
      defaultLang: 'fi',
    });
  });

  test('names every missing or unusable variable', () => {
    const read = () =>
      readSubscriptionsApiConfig({
        ...complete,
        TOKEN_SECRET: 'too short',
        MAIL_FROM: 'a@x.fi, b@x.fi',
        SITE_TITLE: undefined,
      });
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      expect((error as ConfigError).variables).toEqual(['TOKEN_SECRET', 'SITE_TITLE', 'MAIL_FROM']);
    }
    expect(() => readSubscriberStorageConfig({ RELEASES_BUCKET: 'r' })).toThrow(/TOKEN_SECRET/);
  });
});
