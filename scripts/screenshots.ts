/**
 * Regenerates docs/screenshots/: the front page, a release page and a digest, in light and dark
 * mode, from the embedded local stack and the example releases (`npx tsx scripts/screenshots.ts`).
 * Needs Debian's chromium. Nothing is fetched from the network.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLocalStack } from '../src/local/stack.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1024, height: 900 };

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string };
}

async function main(): Promise<void> {
  process.env.TOKEN_SECRET ??= 'screenshots-secret-0123456789-abcdefghij';
  const stack = await startLocalStack({ s3Port: 0, sesPort: 0, webPort: 0, once: true });
  const profile = await mkdtemp(join(tmpdir(), 'chromium-screenshots-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    locale: 'fi-FI',
    viewport: VIEWPORT,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    await mkdir(OUT, { recursive: true });
    const page = await browser.newPage();
    const digestHtml = await subscribeAndDigest(page, stack.urls.site, stack.urls.ses, () =>
      stack.runDigest('weekly', { everything: true }),
    );
    await page.goto(stack.urls.site);
    const releaseHref = (await page.locator('ol.releases a').first().getAttribute('href')) ?? '';
    const releaseUrl = new URL(releaseHref, stack.urls.site).href;
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(stack.urls.site);
      await page.screenshot({ path: join(OUT, `front-page-${colorScheme}.png`) });
      await page.goto(releaseUrl);
      await page.screenshot({ path: join(OUT, `release-page-${colorScheme}.png`) });
      await page.setContent(digestHtml, { waitUntil: 'load' });
      await page.screenshot({ path: join(OUT, `digest-${colorScheme}.png`) });
    }
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await browser.close();
    await stack.stop();
    await rm(profile, { recursive: true, force: true });
  }
}

/** Subscribes on the front page, confirms, runs a digest and returns its HTML. */
async function subscribeAndDigest(
  page: Page,
  site: string,
  ses: string,
  run: () => Promise<unknown>,
): Promise<string> {
  const address = 'kuvakaappaus@example.fi';
  const mails = async () =>
    ((await (await fetch(`${ses}/store`)).json()) as { emails: StoredMail[] }).emails.filter(
      (mail) => mail.destination.to.includes(address),
    );
  await page.goto(site);
  await page.getByLabel('Sähköpostiosoite').fill(address);
  await page.getByLabel('Kerran viikossa').check();
  await page.getByRole('button', { name: 'Tilaa', exact: true }).click();
  await page.waitForURL('**/api/subscribe');
  const confirm = /href="([^"]+\/api\/confirm\?token=[\w-]+)"/.exec(
    (await mails())[0]?.body.html ?? '',
  )?.[1];
  if (confirm === undefined) throw new Error('no confirmation mail');
  await page.goto(confirm);
  await run();
  const digest = (await mails()).at(-1)?.body.html;
  if (digest === undefined) throw new Error('no digest mail');
  return digest;
}

await main();
