import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { jpegBytes, pngBytes } from '../support/media-bytes.js';

// Run inside the page, where the browser's globals exist.
declare const document: {
  images: ArrayLike<{ complete: boolean; naturalWidth: number; naturalHeight: number }>;
};

/**
 * `newsroom preview --out DIR` opened from the disk in Chromium with the network cut off: the
 * pictures load from the copies beside page.html.
 */
let work: string;
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-preview-browser-'));
  profile = await mkdtemp(join(tmpdir(), 'chromium-preview-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    offline: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
});

describe('the preview folder in a browser, offline', () => {
  it('shows every picture of the release from the copies beside page.html', async () => {
    await mkdir(join(work, 'releases', 'kuvat'), { recursive: true });
    await writeFile(join(work, 'releases', 'kuvat', 'sali ä.png'), pngBytes(40, 30));
    await writeFile(join(work, 'releases', 'julkisivu.jpg'), jpegBytes(320, 180));
    const file = join(work, 'releases', 'kirjasto.md');
    await writeFile(
      file,
      '---\ntitle: Kirjasto avautuu\ndate: 2026-05-10 09:00\nimage: julkisivu.jpg\nimage_alt: Julkisivu\n---\n\nKirjasto avautuu.\n\n![Lukusali](<kuvat/sali ä.png>)\n',
    );
    const out = join(work, 'out');
    const run = await runCli(
      ['preview', file, '--out', out, '--site-url', 'https://tiedotteet.example.fi'],
      { MAIL_FROM: '' },
    );
    expect(run.code).toBe(0);

    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, 'page.html')).href, { waitUntil: 'load' });
    const images = await page.evaluate(() =>
      Array.from(document.images, (image) => ({
        complete: image.complete,
        width: image.naturalWidth,
        height: image.naturalHeight,
      })),
    );
    expect(images).toEqual([
      { complete: true, width: 320, height: 180 },
      { complete: true, width: 40, height: 30 },
    ]);
  });
});
