import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SubscriberStore } from '../../src/subscribers/store.js';
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, type StoredEmail, startLocalSes } from '../support/ses.js';
import { type SubscribeServer, startSubscribeServer } from '../support/subscribe-server.js';

let s3: LocalS3;
let ses: LocalSes;
let web: SubscribeServer;
let browser: BrowserContext;
let profile: string;
let store: SubscriberStore;

beforeAll(async () => {
  [s3, ses, web] = await Promise.all([startTestS3(), startLocalSes(), startSubscribeServer()]);
  const bucket = await freshBucket(s3, 'browser');
  store = new SubscriberStore(bucket);
  Object.assign(process.env, {
    TOKEN_SECRET: 'browser-test-secret-0123456789-abcdefghij',
    RELEASES_BUCKET: bucket.bucket,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_FROM: 'Esimerkkilä <uutiset@esimerkkila.fi>',
    SITE_URL: web.url,
    SITE_TITLE: 'Esimerkkilä',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const { handler } = await import('../../functions/subscriptions-api.js');
  web.setHandler(handler);
  profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  // A fresh profile per run; playwright takes it as the persistent context's directory.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    locale: 'fi-FI',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([s3?.stop(), ses?.stop(), web?.stop()]);
  if (profile) await rm(profile, { recursive: true, force: true });
});

test('a resident subscribes, confirms from the mail, and unsubscribes with one click', async () => {
  const page = await browser.newPage();
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  await page.goto(`${web.url}/`);
  await page.getByLabel('Sähköposti').fill('asukas@example.fi');
  await page.getByLabel('Tiedote').check();
  await page.getByLabel('Kuinka usein').selectOption('weekly');
  await page.getByRole('button', { name: 'Tilaa' }).click();
  await page.waitForURL('**/api/subscribe');
  expect(await heading()).toBe(fi.page.subscribed.title);

  const mails = (await (await fetch(`http://127.0.0.1:${ses.port}/store`)).json()) as {
    emails: StoredEmail[];
  };
  const mail = mails.emails.find((m) => m.destination.to.includes('asukas@example.fi'));
  expect(mail?.subject).toBe(fi.mail.confirm.subject.replace('{site}', 'Esimerkkilä'));
  const confirmUrl = /href="([^"]+\/api\/confirm\?token=[\w-]+)"/.exec(mail?.body.html ?? '')?.[1];
  expect(confirmUrl?.startsWith(`${web.url}/api/confirm?token=`)).toBe(true);

  await page.goto(confirmUrl ?? '');
  expect(await heading()).toBe(fi.page.confirmed.title);
  const subscribers = [];
  for await (const s of store.subscribers()) subscribers.push(s);
  expect(subscribers).toMatchObject([
    { address: 'asukas@example.fi', lang: 'fi', categories: ['tiedote'], frequency: 'weekly' },
  ]);

  await page.getByRole('link', { name: fi.page.confirmed.manage }).click();
  await page.waitForURL('**/api/preferences?token=*');
  expect(await heading()).toBe(fi.page.preferences.title);
  const unsubscribeUrl = page.url().replace('/api/preferences?', '/api/unsubscribe?');

  await page.goto(unsubscribeUrl);
  expect(await heading()).toBe(fi.page.unsubscribe.title);
  // Opening the page (a GET) has not unsubscribed anybody.
  expect(await store.findById(subscribers[0]?.id ?? '')).toBeDefined();
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === unsubscribeUrl),
    page.getByRole('button', { name: fi.page.unsubscribe.button }).click(),
  ]);
  await page.waitForLoadState();
  expect(await heading()).toBe(fi.page.unsubscribed.title);
  expect(await store.findById(subscribers[0]?.id ?? '')).toBeUndefined();
});
