import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env-reader.js';
import { readPipelineConfig } from '../../src/config/pipeline.js';

const complete = {
  RELEASES_BUCKET: 'newsroom-releases',
  PUBLIC_BUCKET: 'newsroom-public',
  SITE_URL: 'https://tiedotteet.example.fi/',
};

describe('readPipelineConfig', () => {
  it('reads the buckets and site, with the documented defaults', () => {
    expect(readPipelineConfig(complete)).toEqual({
      site: {
        siteUrl: 'https://tiedotteet.example.fi',
        title: 'Kaupunki',
        defaultLang: 'fi',
        timeZone: 'Europe/Helsinki',
        feedLimit: 50,
        branding: {
          name: { fi: 'Kaupunki', sv: 'Staden', en: 'The City' },
          primaryColor: '#00426e',
        },
      },
      storage: {
        releasesBucket: 'newsroom-releases',
        publicBucket: 'newsroom-public',
        region: undefined,
        s3Endpoint: undefined,
      },
      staffEmail: undefined,
      notificationQueueUrl: undefined,
    });
  });

  it('takes every optional setting from the environment', () => {
    const config = readPipelineConfig({
      ...complete,
      SITE_TITLE: 'Esimerkkilä',
      TIME_ZONE: 'Europe/Stockholm',
      DEFAULT_LANG: 'sv',
      FEED_LIMIT: '20',
      ID_AUTHORITY: 'vanha.example.fi',
      WEBSUB_HUB: 'https://hub.example',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      STAFF_EMAIL: 'viestinta@example.fi',
      IMMEDIATE_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/123456789012/immediate',
    });
    expect(config.site).toMatchObject({
      title: 'Esimerkkilä',
      timeZone: 'Europe/Stockholm',
      feedLimit: 20,
      idAuthority: 'vanha.example.fi',
      websubHub: 'https://hub.example/',
    });
    expect(config.storage.s3Endpoint).toBe('http://127.0.0.1:4569');
    expect(config.staffEmail).toBe('viestinta@example.fi');
    expect(config.notificationQueueUrl).toContain('immediate');
  });

  it('names every missing or malformed variable in one ConfigError', () => {
    let error: unknown;
    try {
      readPipelineConfig({
        SITE_URL: 'ftp://x',
        FEED_LIMIT: 'lots',
        TIME_ZONE: 'Mars/Olympus',
        ID_AUTHORITY: 'https://x/',
        WEBSUB_HUB: 'mailto:hub@example.fi',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.name).toBe('ConfigError');
    expect(config.variables).toEqual([
      'SITE_URL',
      'TIME_ZONE',
      'FEED_LIMIT',
      'ID_AUTHORITY',
      'WEBSUB_HUB',
      'RELEASES_BUCKET',
      'PUBLIC_BUCKET',
    ]);
    expect(config.message).toContain('RELEASES_BUCKET is not set');
    expect(config.message).toContain('FEED_LIMIT must be an integer from 1 to 1000, got "lots"');
  });
});
