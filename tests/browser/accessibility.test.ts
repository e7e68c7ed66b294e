import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Run inside the page, where the browser's globals exist.
declare const window: { axe: { run: (options: unknown) => Promise<{ violations: unknown[] }> } };
declare function matchMedia(query: string): { matches: boolean };

import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { renderWithdrawnPage } from '../../src/pages/withdrawn-page.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';
import type { StoredEmail } from '../support/ses.js';

// Accessibility as a gate: axe-core, run inside Chromium on every page type the site and the
// subscriptions API serve, in light and in dark mode, must find nothing.

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

let stack: LocalStack;
let browser: BrowserContext;
let profile: string;
let axeSource: string;
const pages = new Map<string, string>();

async function mailsTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
    emails: StoredEmail[];
  };
  return store.emails.filter((mail) => mail.destination.to.includes(address));
}

/** Every page type's URL, reached the way a resident reaches it. */
async function collectPages(page: Page): Promise<void> {
  pages.set('index', stack.urls.site);
  await page.goto(stack.urls.site);
  const releaseHref = await page.locator('ol.releases a').first().getAttribute('href');
  pages.set('release', new URL(releaseHref ?? '', stack.urls.site).href);
  const archiveHref = await page
    .locator('section[aria-labelledby=archive] a')
    .first()
    .getAttribute('href');
  pages.set('archive', new URL(archiveHref ?? '', stack.urls.site).href);
  pages.set('404', `${stack.urls.site}releases/ei-ole-olemassa.html`);
  // The withdrawn page as the pipeline will write it at a deleted release's address.
  const withdrawn = makeRelease({
    slug: 'poistettu',
    url: `${TEST_SITE.siteUrl}/releases/poistettu.html`,
  });
  await stack.stores.public.put(
    'releases/poistettu.html',
    renderWithdrawnPage(withdrawn, new Date('2025-10-01T09:00:00Z'), TEST_SITE),
    { contentType: 'text/html; charset=utf-8' },
  );
  pages.set('withdrawn', `${stack.urls.site}releases/poistettu.html`);

  const address = 'saavutettavuus@example.fi';
  await page.getByLabel('Sähköpostiosoite').fill(address);
  await page.getByRole('button', { name: 'Tilaa', exact: true }).click();
  await page.waitForURL('**/api/subscribe');
  pages.set('subscribed', 'post');
  const [confirmation] = await mailsTo(address);
  const confirmUrl = /href="([^"]+\/api\/confirm\?token=[\w-]+)"/.exec(
    confirmation?.body.html ?? '',
  )?.[1];
  pages.set('confirm', confirmUrl ?? '');
  await page.goto(confirmUrl ?? '');
  const preferences = await page
    .locator('a[href*="/api/preferences?token="]')
    .first()
    .getAttribute('href');
  const preferencesUrl = new URL(preferences ?? '', stack.urls.site).href;
  pages.set('preferences', preferencesUrl);
  pages.set('unsubscribe', preferencesUrl.replace('/api/preferences?', '/api/unsubscribe?'));
}

async function violations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run: (options: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    }),
  );
  return result.violations as AxeViolation[];
}

beforeAll(async () => {
  process.env.TOKEN_SECRET = 'browser-test-secret-0123456789-abcdefghij';
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  stack = await startLocalStack({ s3Port: 0, sesPort: 0, webPort: 0, once: true });
  profile = await mkdtemp(join(tmpdir(), 'chromium-axe-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    locale: 'fi-FI',
    bypassCSP: true,
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
  await collectPages(await browser.newPage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const PAGE_TYPES = [
  'index',
  'release',
  'archive',
  'withdrawn',
  '404',
  'subscribed',
  'confirm',
  'preferences',
  'unsubscribe',
];

describe.each(['light', 'dark'] as const)('axe-core in %s mode', (colorScheme) => {
  it.each(PAGE_TYPES)(
    'finds no violations on the %s page',
    async (type) => {
      const page = await browser.newPage();
      await page.emulateMedia({ colorScheme });
      try {
        if (type === 'subscribed') {
          await page.goto(stack.urls.site);
          await page.getByLabel('Sähköpostiosoite').fill(`${colorScheme}@example.fi`);
          await page.getByRole('button', { name: 'Tilaa', exact: true }).click();
          await page.waitForURL('**/api/subscribe');
        } else {
          await page.goto(pages.get(type) ?? '');
        }
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
          colorScheme === 'dark',
        );
        const found = await violations(page);
        expect(
          found.map(
            (violation) =>
              `${violation.id}: ${violation.help} ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
          ),
        ).toEqual([]);
      } finally {
        await page.close();
      }
    },
    60_000,
  );
});
