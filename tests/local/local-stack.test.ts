import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';

const release = (title: string, date: string, extra = '') =>
  `---\ntitle: "${title}"\ndate: ${date}\ntype: Tiedote\n${extra}---\n\n${title}: ensimmäinen kappale.\n`;

let dir: string;
let stack: LocalStack;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsroom-local-releases-'));
  await mkdir(join(dir, 'Kevät 2025'), { recursive: true });
  await writeFile(
    join(dir, 'Kevät 2025', 'C++ ja öljy.md'),
    release('Öljyvahinko', '2025-04-09 10:00'),
  );
  await writeFile(join(dir, 'satama.md'), release('Satama', '2025-09-12 08:00', 'lang: sv\n'));
  await writeFile(join(dir, 'rikki.md'), '---\ntitle: Rikki\n---\n\nPäivämäärä puuttuu.\n');
  await writeFile(join(dir, 'muistiinpano.txt'), 'ei julkaista');
  stack = await startLocalStack({
    s3Port: 0,
    sesPort: 0,
    webPort: 0,
    releasesDir: dir,
    staffEmail: 'viestinta@example.fi',
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the local stack', () => {
  it('publishes the folder through the S3 event path and serves the site over HTTP', async () => {
    const index = await fetch(stack.urls.site);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('public, max-age=300');
    const html = await index.text();
    expect(html).toContain('Öljyvahinko');
    expect(html).toContain('Satama');

    const etag = index.headers.get('etag') ?? '';
    const again = await fetch(stack.urls.index, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const head = await fetch(stack.urls.site, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);

    const atom = await fetch(stack.urls.feeds.atom);
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atomText = await atom.text();
    expect(xmllintErrors(atomText)).toBe('');
    expect(parseFeed(atomText).entries.map((entry) => entry.title)).toEqual([
      'Satama',
      'Öljyvahinko',
    ]);
    const rss = parseFeed(await (await fetch(stack.urls.feeds.rss)).text());
    expect(rss.bozo).toBe(false);
    const json = await fetch(stack.urls.feeds.json);
    expect(json.headers.get('content-type')).toBe('application/feed+json');
    expect(jsonFeedProblems(await json.text())).toEqual([]);
    const page = await fetch(`${stack.urls.site}releases/kevat-2025-c-ja-oljy.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('public, max-age=3600');
    const missing = await fetch(`${stack.urls.site}releases/ei/ole.html`);
    expect(missing.status).toBe(404);
    // The site's own 404 page, as CloudFront's custom error response serves it.
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await missing.text()).toContain('<h1>Sivua ei löytynyt</h1>');
    expect((await fetch(stack.urls.site, { method: 'POST' })).status).toBe(405);
  });

  it('reports the bad file beside it and mails staff through the local SES endpoint', async () => {
    const summary = await stack.summary();
    expect(summary).toMatchObject({ sources: 3, published: 2, failures: 0 });
    expect(summary.rejected.map((report) => report.file)).toEqual(['releases/rikki.md']);
    const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
    };
    const mail = store.emails.find((email) => email.subject.includes('rikki.md'));
    expect(mail?.destination.to).toEqual(['viestinta@example.fi']);
    expect(mail?.subject).toBe('Tiedotetta ei julkaistu: rikki.md');
    expect(lines.some((line) => line.startsWith('rejected: rikki.md: Expected `date`'))).toBe(true);
    expect((await fetch(stack.urls.mailViewer)).status).toBe(200);
  });

  it('routes /api/* to the subscriptions API as an HTTP API event', async () => {
    const response = await fetch(`${stack.urls.api}ei-tallaista`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not-found' });
  });

  it('follows the folder: a dropped file is published, a deleted one disappears', async () => {
    await writeFile(join(dir, 'uusi + tuore.md'), release('Tuore', '2025-10-01 12:00'));
    await until(async () => {
      const feed = parseFeed(await (await fetch(stack.urls.feeds.atom)).text());
      return feed.entries[0]?.title === 'Tuore' ? true : undefined;
    }, 'the new release in the feed');
    expect(lines.some((line) => line.includes('watch: uploaded releases/uusi + tuore.md'))).toBe(
      true,
    );

    await unlink(join(dir, 'uusi + tuore.md'));
    await until(async () => {
      const response = await fetch(`${stack.urls.site}releases/uusi-tuore.html`);
      return response.status === 404 ? true : undefined;
    }, 'the deleted release page to go');
    await stack.settled();
    const feed = parseFeed(await (await fetch(stack.urls.feeds.atom)).text());
    expect(feed.entries.map((entry) => entry.title)).toEqual(['Satama', 'Öljyvahinko']);
  });
});
