import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import type { StoredEmail } from '../support/ses.js';

// The whole resident journey on the embedded local stack `npm start` runs: the real index.html
// published by the pipeline, the real API handler, the local SES endpoint and the digest run.

let stack: LocalStack;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  process.env.TOKEN_SECRET = 'browser-test-secret-0123456789-abcdefghij';
  stack = await startLocalStack({ s3Port: 0, sesPort: 0, webPort: 0, once: true });
  profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    locale: 'fi-FI',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

async function mailsTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
    emails: StoredEmail[];
  };
  return store.emails.filter((mail) => mail.destination.to.includes(address));
}

test('a resident subscribes on the front page, confirms, gets the digest and unsubscribes with one click', async () => {
  const address = 'asukas@example.fi';
  const subscribers = new SubscriberStore(stack.stores.releases);
  const page = await browser.newPage();
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  await page.goto(stack.urls.site);
  await page.getByLabel('Sähköpostiosoite').fill(address);
  await page.getByLabel('Tiedote', { exact: true }).check();
  await page.getByLabel('Kerran viikossa').check();
  await page.getByRole('button', { name: 'Tilaa', exact: true }).click();
  await page.waitForURL('**/api/subscribe');
  expect(await heading()).toBe(fi.subscription.subscribed.title);

  const [confirmation] = await mailsTo(address);
  const confirmUrl = /href="([^"]+\/api\/confirm\?token=[\w-]+)"/.exec(
    confirmation?.body.html ?? '',
  )?.[1];
  expect(confirmUrl?.startsWith(`${stack.urls.api}confirm?token=`)).toBe(true);
  await page.goto(confirmUrl ?? '');
  expect(await heading()).toBe(fi.subscription.confirmed.title);
  const confirmed = [];
  for await (const subscriber of subscribers.subscribers()) confirmed.push(subscriber);
  expect(confirmed).toMatchObject([
    { address, lang: 'fi', categories: ['tiedote'], frequency: 'weekly' },
  ]);

  // Releases dated now: the examples are years old, archive imports that no digest mails.
  const now = new Date().toISOString();
  for (const [slug, type] of [
    ['tuore-tiedote', 'Tiedote'],
    ['tuore-blogi', 'Blogi'],
  ]) {
    await stack.stores.releases.put(
      `releases/${slug}.md`,
      `---\ntitle: ${type} tänään\ntype: ${type}\ndate: ${now}\n---\n\nTeksti.\n`,
    );
  }
  await stack.settled();
  const run = await stack.runDigest('weekly', { everything: true });
  expect(run.status).toBe('done');
  expect(run.status === 'done' && run.sent).toBe(1);
  const digest = (await mailsTo(address)).find(
    (mail) => mail.messageId !== confirmation?.messageId,
  );
  const html = digest?.body.html ?? '';
  // Only the subscriber's category: the new "Tiedote", not the new blog post.
  expect(html).toContain('Tiedote tänään');
  expect(html).not.toContain('Blogi');
  const unsubscribeUrl = /href="([^"]+\/api\/unsubscribe\?token=[\w-]+)"/
    .exec(html)?.[1]
    ?.replaceAll('&amp;', '&');
  expect(unsubscribeUrl).toBeDefined();

  await page.goto(unsubscribeUrl ?? '');
  expect(await heading()).toBe(fi.subscription.unsubscribe.title);
  // Opening the page (a GET, as mail link scanners do) has not unsubscribed anybody.
  expect(await subscribers.findById(confirmed[0]?.id ?? '')).toBeDefined();
  await page.getByRole('button', { name: fi.subscription.unsubscribe.button }).click();
  await page.waitForLoadState();
  expect(await heading()).toBe(fi.subscription.unsubscribed.title);
  expect(await subscribers.findById(confirmed[0]?.id ?? '')).toBeUndefined();
});
