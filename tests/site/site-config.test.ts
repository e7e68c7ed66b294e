import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDigestConfig } from '../../src/config/digest.js';
import { ConfigError } from '../../src/config/env-reader.js';
import { readPipelineConfig } from '../../src/config/pipeline.js';
import { readSubscriptionsApiConfig } from '../../src/config/subscribers.js';
import { wireMailRuns } from '../../src/digest/wiring.js';
import {
  applySiteJson,
  brandingOf,
  organisationName,
  organisationNames,
  SITE_JSON_KEY,
  SiteSettingsError,
  withSiteJson,
} from '../../src/site/site-config.js';
import { htmlPage } from '../../src/subscribers/http/pages.js';
import { byTag, parseHtml } from '../pages/html-check.js';
import { FileSystemObjectStore } from '../support/fs-object-store.js';
import { TEST_SITE } from '../support/releases.js';

const env = {
  RELEASES_BUCKET: 'releases',
  PUBLIC_BUCKET: 'public',
  SITE_URL: 'https://tiedotteet.example.fi',
};

describe('branding from the environment', () => {
  it('defaults to a neutral Finnish organisation name in three languages and the default blue', () => {
    const { site } = readPipelineConfig(env);
    expect(site.title).toBe('Kaupunki');
    expect(organisationName(site, 'fi')).toBe('Kaupunki');
    expect(organisationName(site, 'sv')).toBe('Staden');
    expect(organisationName(site, 'en')).toBe('The City');
    expect(site.branding?.primaryColor).toBe('#00426e');
  });

  it('reads name per language, logo, colour, contact and links', () => {
    const { site } = readPipelineConfig({
      ...env,
      SITE_TITLE: 'Esimerkkilän kaupunki',
      SITE_NAME_SV: 'Exempelby stad',
      SITE_LOGO: 'media/logo.svg',
      SITE_COLOR: '#A0C',
      SITE_CONTACT: 'Kirjaamo, PL 1, 00100 Esimerkkilä',
      PRIVACY_URL: 'https://www.example.fi/tietosuoja',
      ACCESSIBILITY_URL: 'https://www.example.fi/saavutettavuus',
    });
    expect(site.branding).toEqual({
      name: { fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad' },
      logo: 'media/logo.svg',
      primaryColor: '#aa00cc',
      contact: { fi: 'Kirjaamo, PL 1, 00100 Esimerkkilä' },
      privacyUrl: { fi: 'https://www.example.fi/tietosuoja' },
      accessibilityUrl: { fi: 'https://www.example.fi/saavutettavuus' },
    });
    // A language without its own name falls back to the default language's.
    expect(organisationName(site, 'en')).toBe('Esimerkkilän kaupunki');
  });

  it('names every unusable branding variable at once', () => {
    let error: unknown;
    try {
      readPipelineConfig({
        ...env,
        SITE_COLOR: 'blue',
        SITE_LOGO: '../secret.png',
        PRIVACY_URL: 'javascript:alert(1)',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual(['SITE_COLOR', 'SITE_LOGO', 'PRIVACY_URL']);
  });

  it('keeps a site without branding on the defaults under its own title', () => {
    expect(brandingOf(TEST_SITE)).toEqual({
      name: { fi: 'Esimerkkilä' },
      primaryColor: '#00426e',
    });
  });
});

describe('site.json', () => {
  it('overrides the environment field by field', () => {
    const { branding } = applySiteJson(
      TEST_SITE,
      JSON.stringify({
        name: { sv: 'Exempelby', en: 'City of Esimerkkilä' },
        primaryColor: '#005A9C',
        privacyUrl: { fi: 'https://example.fi/tietosuoja', sv: 'https://example.fi/dataskydd' },
        contact: 'Puh. 09 123 4567',
      }),
    );
    expect(branding).toEqual({
      name: { fi: 'Esimerkkilä', sv: 'Exempelby', en: 'City of Esimerkkilä' },
      primaryColor: '#005a9c',
      privacyUrl: { fi: 'https://example.fi/tietosuoja', sv: 'https://example.fi/dataskydd' },
      contact: { und: 'Puh. 09 123 4567' },
    });
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /must hold a JSON object/],
    ['{"colour":"#000"}', /unknown field "colour"/],
    ['{"primaryColor":"red"}', /"primaryColor" must be a colour/],
    ['{"logo":"http://example.fi/logo.png"}', /"logo" must be a path/],
    ['{"name":{"suomi":"X"}}', /"suomi" is not a language code/],
    ['{"name":{"fi":""}}', /the "fi" text must be a non-empty string/],
    ['{"accessibilityUrl":"ftp://x"}', /"accessibilityUrl" must be http\(s\) URLs/],
    ['{"categories":{}}', /"categories" must be a list/],
    ['{"name":[]}', /"name" must be a text or an object of texts by language/],
    ['{"logo":5}', /"logo" must be a path/],
    [
      '{"contact":{"fi":"Puh. 09 123","sv":3}}',
      /"contact": the "sv" text must be a non-empty string/,
    ],
    [
      '{"privacyUrl":{"fi":"https://example.fi/t","sv":"javascript:alert(1)"}}',
      /"privacyUrl" must be http\(s\) URLs, got "javascript:alert\(1\)"/,
    ],
    [
      '{"categories":[{"key":"a","labels":{"fi":"A"},"aliases":["b",2]}]}',
      /"categories"\[0\]: "aliases" must be a list of words/,
    ],
    ['{"categories":[{"key":"Päätös","labels":{"fi":"Päätös"}}]}', /"key" must be lower-case/],
    ['{"categories":[{"key":"paatos","labels":{}}]}', /at least one non-empty label/],
    [
      '{"categories":[{"key":"paatos","labels":{"fi":"Uutinen"}}]}',
      /"Uutinen" names both "uutinen" and "paatos"/,
    ],
  ])('rejects %s with a message naming the problem', (text, message) => {
    expect(() => applySiteJson(TEST_SITE, text)).toThrow(SiteSettingsError);
    expect(() => applySiteJson(TEST_SITE, text)).toThrow(message);
  });
});

describe('site.json in the releases bucket', () => {
  it('is read from releases/site.json; its absence changes nothing; a broken one stops the build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsroom-site-json-'));
    try {
      const bucket = new FileSystemObjectStore(dir);
      expect(await withSiteJson(TEST_SITE, bucket)).toBe(TEST_SITE);
      await bucket.put(SITE_JSON_KEY, JSON.stringify({ name: { sv: 'Exempelby' } }));
      const site = await withSiteJson(TEST_SITE, bucket);
      expect(organisationName(site, 'sv')).toBe('Exempelby');
      expect(organisationName(site, 'fi')).toBe('Esimerkkilä');
      await bucket.put(SITE_JSON_KEY, '{"name": ');
      await expect(withSiteJson(TEST_SITE, bucket)).rejects.toThrow(
        /releases\/site.json is not valid JSON/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the functions the same branding: subscription pages, mail wiring and the publisher', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsroom-site-json-'));
    try {
      const bucket = new FileSystemObjectStore(dir);
      const apiEnv = {
        TOKEN_SECRET: 'x'.repeat(32),
        RELEASES_BUCKET: 'releases',
        SITE_URL: 'https://tiedotteet.example.fi',
        SITE_TITLE: 'Esimerkkilä',
        SITE_NAME_SV: 'Exempelby (env)',
        MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
      };
      const api = readSubscriptionsApiConfig(apiEnv);
      const site = { ...api, title: api.siteTitle };
      // Without site.json, the environment's names.
      expect(await organisationNames(site, bucket, ['fi', 'sv'])).toEqual({
        fi: 'Esimerkkilä',
        sv: 'Exempelby (env)',
      });
      await bucket.put(SITE_JSON_KEY, JSON.stringify({ name: { sv: 'Exempelby stad' } }));
      const names = await organisationNames(site, bucket, ['fi', 'sv', 'en']);
      expect(names).toEqual({ fi: 'Esimerkkilä', sv: 'Exempelby stad', en: 'Esimerkkilä' });
      const page = htmlPage(
        200,
        'sv',
        { title: 'Esimerkkilä', url: api.siteUrl, names },
        'Klart',
        '',
      );
      const { root } = parseHtml(page.body);
      expect(byTag(root, 'title')[0]?.text).toBe('Klart – Exempelby stad');

      // The digest and immediate-mail senders read the same file when they are wired.
      const digest = readDigestConfig({
        ...apiEnv,
        SES_ENDPOINT: 'http://127.0.0.1:9',
        SES_SEND_RATE: '1',
      });
      const wiring = await wireMailRuns(digest, { store: bucket });
      expect(organisationName(wiring.options.site, 'sv')).toBe('Exempelby stad');
      await bucket.put(SITE_JSON_KEY, '{"name": 1}');
      await expect(wireMailRuns(digest, { store: bucket })).rejects.toThrow(SiteSettingsError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
