import { describe, expect, it } from 'vitest';
import { websubHub } from '../../src/adapters/websub-hub.js';
import { releaseRecordSchema } from '../../src/pipeline/records.js';
import { reportKey } from '../../src/pipeline/reports.js';
import { EMBARGO_KEY, recordKey } from '../../src/pipeline/state-keys.js';
import { readDocument } from '../../src/shared/document-store.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { nameBasedUrn } from '../../src/shared/text.js';
import { byTag, parseHtml } from '../pages/html-check.js';
import type { ConditionalStore } from '../support/conditional-store.js';
import { jsonFeedProblems, parseFeed, xmllintErrors } from '../support/feed-check.js';
import { startTestHub } from '../support/hub.js';
import {
  expectMatchesFullBuild,
  headersOf,
  releaseText,
  SITE,
  s3Record,
  snapshot,
  testPipeline,
  text,
} from './harness.js';

async function record(t: { bucket: ObjectStore }, key: string) {
  return (await readDocument(t.bucket, recordKey(key), releaseRecordSchema))?.value;
}

describe('publishing an upload', () => {
  it('writes the page, every affected feed, the index and the archive with their headers', async () => {
    const t = await testPipeline();
    await t.upload(
      'releases/2025/uimahallit.md',
      releaseText('Uimahallit avautuvat', '2025-09-01 09:00'),
    );

    const files = [...(await snapshot(t.publicSite)).keys()].sort();
    expect(files).toEqual([
      '404.html',
      'archive/2025.html',
      'archive/2025/09.html',
      'favicon.svg',
      'feeds/archive/2025-09.atom.xml',
      'feeds/archive/2025-09.feed.json',
      'feeds/archive/2025-09.rss.xml',
      'feeds/atom.xml',
      // A Tiedote's old label folders (Pressmeddelande, Press release) keep their feeds.
      'feeds/category/press-release/atom.xml',
      'feeds/category/press-release/feed.json',
      'feeds/category/press-release/rss.xml',
      'feeds/category/pressmeddelande/atom.xml',
      'feeds/category/pressmeddelande/feed.json',
      'feeds/category/pressmeddelande/rss.xml',
      'feeds/category/tiedote/archive/2025-09.atom.xml',
      'feeds/category/tiedote/archive/2025-09.feed.json',
      'feeds/category/tiedote/archive/2025-09.rss.xml',
      'feeds/category/tiedote/atom.xml',
      'feeds/category/tiedote/feed.json',
      'feeds/category/tiedote/rss.xml',
      'feeds/feed.json',
      'feeds/lang/fi/archive/2025-09.atom.xml',
      'feeds/lang/fi/archive/2025-09.feed.json',
      'feeds/lang/fi/archive/2025-09.rss.xml',
      'feeds/lang/fi/atom.xml',
      'feeds/lang/fi/feed.json',
      'feeds/lang/fi/rss.xml',
      'feeds/rss.xml',
      'index.html',
      'releases/2025-uimahallit.html',
      'sitemap.xml',
      'sitemaps/2025-09.xml',
      'sitemaps/pages.xml',
      'theme.css',
    ]);
    const bucket = t.publicSite;
    expect(headersOf(bucket, 'feeds/atom.xml')).toMatchObject({
      contentType: 'application/atom+xml; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    expect(headersOf(bucket, 'feeds/rss.xml')).toMatchObject({
      contentType: 'application/rss+xml; charset=utf-8',
    });
    expect(headersOf(bucket, 'feeds/feed.json')).toMatchObject({
      contentType: 'application/feed+json',
    });
    expect(headersOf(bucket, 'releases/2025-uimahallit.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=3600',
    });
    expect(headersOf(bucket, 'index.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
    });

    const atom = (await text(t.publicSite, 'feeds/atom.xml')) ?? '';
    expect(xmllintErrors(atom)).toBe('');
    const parsed = parseFeed(atom);
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries.map((entry) => [entry.title, entry.link])).toEqual([
      ['Uimahallit avautuvat', 'https://tiedotteet.example.fi/releases/2025-uimahallit.html'],
    ]);
    expect(
      parseFeed((await text(t.publicSite, 'feeds/category/tiedote/rss.xml')) ?? '').entries,
    ).toHaveLength(1);
    expect(jsonFeedProblems((await text(t.publicSite, 'feeds/lang/fi/feed.json')) ?? '')).toEqual(
      [],
    );
    // Dated months before its upload: an archive import, so staff are told (silent) and no
    // resident is mailed.
    expect(t.notifier.notices).toEqual([
      {
        type: 'staff-outcome',
        to: 'viestinta@example.fi',
        outcome: 'published',
        sourcePath: '2025/uimahallit.md',
        title: 'Uimahallit avautuvat',
        url: 'https://tiedotteet.example.fi/releases/2025-uimahallit.html',
        published: '2025-09-01T06:00:00.000Z',
        warnings: [],
        silent: true,
      },
    ]);
    await expectMatchesFullBuild(t);
  });

  it('decodes keys with spaces, ä/ö and + and publishes them under a stable id', async () => {
    const t = await testPipeline();
    const key = 'releases/Kevät 2021/C++ ja öljy.md';
    const record = s3Record(t.bucketName, key, 'created');
    expect(record.s3.object.key).toBe('releases/Kev%C3%A4t+2021/C%2B%2B+ja+%C3%B6ljy.md');
    await t.bucket.put(key, releaseText('Öljysäiliöt', '2021-04-09 10:00'));
    await t.handle({ Records: [record] });

    const feed = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '');
    expect(feed.entries[0]?.id).toBe(
      nameBasedUrn('tiedotteet.example.fi:Kevät 2021/C++ ja öljy.md'),
    );
    expect(await text(t.publicSite, 'releases/kevat-2021-c-ja-oljy.html')).toContain('Öljysäiliöt');
    expect(await t.bucket.get(recordKey(key))).toBeDefined();
    await expectMatchesFullBuild(t);
  });

  it('publishes .MD uploads and ignores hidden files and images, as the CLI does', async () => {
    const t = await testPipeline();
    await t.upload('releases/2025/._Kirjasto.MD', '\u0000\u0005\u0016\u0007Mac OS X');
    await t.upload('releases/2025/kuva.jpg', '\u00ff\u00d8\u00ff');
    expect(await snapshot(t.publicSite)).toEqual(new Map());
    expect(await snapshot(t.bucket, 'reports/')).toEqual(new Map());
    expect(t.logs.map((log) => log.message)).toEqual([
      'ignored key that is not a release file',
      'ignored key that is not a release file',
    ]);

    await t.upload('releases/2025/Kirjasto.MD', releaseText('Kirjasto', '2025-03-01 12:00'));
    expect(await text(t.publicSite, 'releases/2025-kirjasto.html')).toContain('Kirjasto');
    await expectMatchesFullBuild(t);
  });

  it('keeps the id and slug of an edited release, even when its front-matter slug changes', async () => {
    const t = await testPipeline();
    const key = 'releases/kirjasto.md';
    await t.upload(key, releaseText('Kirjasto', '2025-03-01 12:00', { slug: 'kirjasto-auki' }));
    const before = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries[0];

    await t.upload(
      key,
      releaseText('Kirjasto on auki pidempään', '2025-03-01 12:00', { slug: 'uusi-nimi' }),
    );
    const after = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries[0];
    expect(after?.id).toBe(before?.id);
    expect(after?.title).toBe('Kirjasto on auki pidempään');
    expect(after?.link).toBe('https://tiedotteet.example.fi/releases/kirjasto-auki.html');
    expect(await text(t.publicSite, 'releases/kirjasto-auki.html')).toContain('pidempään');
    expect(await t.publicSite.get('releases/uusi-nimi.html')).toBeUndefined();
    // Dated long before its upload: an archive import, on the site but not mailed to residents.
    expect(t.notifier.notices.filter((n) => n.type === 'release-published')).toHaveLength(0);
    expect(
      t.notifier.notices.map((n) => n.type === 'staff-outcome' && [n.outcome, n.silent]),
    ).toEqual([
      ['published', true],
      ['updated', false],
    ]);
    // Published (back-dated) at the first upload; the edit a day later keeps that instant.
    expect((await record(t, key))?.release?.firstPublishedAt).toBe('2026-01-15T12:00:00.000Z');
    await expectMatchesFullBuild(t);
  });

  it('gives a colliding slug to the first upload and a hashed one to the next', async () => {
    const t = await testPipeline();
    await t.upload('releases/b.md', releaseText('B', '2025-03-01 12:00', { slug: 'sama' }));
    await t.upload('releases/a.md', releaseText('A', '2025-03-02 12:00', { slug: 'sama' }));
    const pages = [...(await snapshot(t.publicSite, 'releases/')).keys()];
    expect(pages).toHaveLength(2);
    expect(pages).toContain('releases/sama.html');
    expect(await text(t.publicSite, 'releases/sama.html')).toContain('<h1>B</h1>');
    await expectMatchesFullBuild(t);
  });

  it('removes a deleted release from feeds, index and archive, leaving a withdrawn page at its address', async () => {
    const t = await testPipeline();
    await t.upload('releases/pysyy.md', releaseText('Pysyy', '2024-05-01 10:00'));
    await t.upload(
      'releases/poistuu.md',
      releaseText('Poistuu', '2025-05-01 10:00', { type: 'Blogi', lang: 'sv' }),
    );
    expect(await t.publicSite.get('archive/2025.html')).toBeDefined();

    await t.remove('releases/poistuu.md');
    const files = await snapshot(t.publicSite);
    const withdrawn = parseHtml(files.get('releases/poistuu.html') ?? '');
    expect(withdrawn.errors).toEqual([]);
    expect(withdrawn.root.attrs.lang).toBe('sv');
    expect(byTag(withdrawn.root, 'meta', { name: 'robots' })[0]?.attrs.content).toBe('noindex');
    expect(byTag(withdrawn.root, 'h1')[0]?.text).toBe('Det här pressmeddelandet har tagits bort');
    expect(byTag(withdrawn.root, 'main')[0]?.text).toContain('Poistuu');
    // Withdrawn at the test clock's instant; first published on 1 May 2025.
    expect(byTag(withdrawn.root, 'time').map((time) => time.attrs.datetime?.slice(0, 10))).toEqual([
      t.clock.read().toISOString().slice(0, 10),
      '2025-05-01',
    ]);
    expect(byTag(withdrawn.root, 'a').map((a) => a.attrs.href)).toContain('../index.html');
    expect(files.has('archive/2025.html')).toBe(false);
    expect(files.has('feeds/category/blogi/atom.xml')).toBe(false);
    expect(files.has('feeds/lang/sv/rss.xml')).toBe(false);
    expect(files.get('index.html')).not.toContain('Poistuu');
    expect(parseFeed(files.get('feeds/atom.xml') ?? '').entries.map((e) => e.title)).toEqual([
      'Pysyy',
    ]);
    expect(await t.bucket.get('state/slugs/poistuu.json')).toBeUndefined();
    await expectMatchesFullBuild(t);
  });
});

describe('events that are duplicated, delayed or out of order', () => {
  it('converge on what the bucket holds, never resurrecting a deleted release', async () => {
    const t = await testPipeline();
    const key = 'releases/myohassa.md';
    const put1 = await t.upload(key, releaseText('Versio 1', '2025-06-01 10:00'));
    const put2 = await t.upload(key, releaseText('Versio 2', '2025-06-01 10:00'), false);
    const removed = await t.remove(key, false);

    await t.handle({ Records: [removed] });
    await t.handle({ Records: [put2, put1] });
    await t.handle({ Records: [put1, removed, put2] });
    // A batch acts on a key's highest sequencer: only the second batch is all older events.
    const stale = t.logs.filter((log) => log.message === 'stale event skipped');
    expect(stale.map((log) => log.fields?.sequencer)).toEqual([put2.s3.object.sequencer]);
    // Only the withdrawn page of the first version, the one that was public, is left.
    const pages = await snapshot(t.publicSite, 'releases/');
    expect([...pages.keys()]).toEqual(['releases/myohassa.html']);
    expect(pages.get('releases/myohassa.html')).toContain('<meta name="robots" content="noindex">');
    expect(pages.get('releases/myohassa.html')).toContain('Versio 1');
    expect(parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries).toEqual([]);
    await expectMatchesFullBuild(t);
  });

  it('re-read the bucket, so a delayed create after a delete publishes no release', async () => {
    const t = await testPipeline();
    const key = 'releases/ei-ylosnousua.md';
    const put = await t.upload(key, releaseText('Poistettu', '2025-06-01 10:00'), false);
    await t.remove(key, false);
    await t.handle({ Records: [put] });
    expect((await snapshot(t.publicSite, 'releases/')).size).toBe(0);
    expect(t.notifier.notices).toEqual([]);
    // Even when no release was ever public, the site-wide feeds and front page exist (empty), as
    // a full build of the bucket writes them: a reader subscribing early gets a feed, not a 404.
    expect(parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries).toEqual([]);
    await expectMatchesFullBuild(t);
  });

  it('publishes the latest version whichever event arrives first', async () => {
    const t = await testPipeline();
    const key = 'releases/versiot.md';
    const put1 = await t.upload(key, releaseText('Vanha otsikko', '2025-06-01 10:00'), false);
    const put2 = await t.upload(key, releaseText('Uusi otsikko', '2025-06-01 10:00'), false);
    await t.handle({ Records: [put2] });
    await t.handle({ Records: [put1, put2, put1] });
    const feed = parseFeed((await text(t.publicSite, 'feeds/rss.xml')) ?? '');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['Uusi otsikko']);
    await expectMatchesFullBuild(t);
  });

  it('loses nothing when every event arrives twice in one batch, and a second invocation is refused', async () => {
    const t = await testPipeline();
    const records = [];
    for (let i = 0; i < 12; i += 1) {
      const fields = { type: i % 3 === 0 ? 'Blogi' : 'Tiedote', lang: i % 4 === 0 ? 'sv' : 'fi' };
      records.push(
        await t.upload(
          `releases/rinnakkain-${i}.md`,
          releaseText(`Rinnakkain ${i}`, `2025-0${1 + (i % 9)}-1${i % 10} 10:00`, fields),
          false,
        ),
      );
    }
    // An unexpected second writer (two invocations at once) fails fast instead of overwriting.
    const results = await Promise.allSettled(
      [records.slice(0, 6), records.slice(6)].map((batch) => t.handle({ Records: batch })),
    );
    expect(results.filter((result) => result.status === 'rejected').length).toBeGreaterThan(0);
    expect(t.bucket.preconditionFailures).toBeGreaterThan(0);
    // The queue's one consumer: every record twice, one batch.
    await t.handle({ Records: [...records, ...records] });
    const feed = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '');
    expect(feed.entries).toHaveLength(12);
    await expectMatchesFullBuild(t);
  });
});

describe('a rejected upload', () => {
  it('leaves the public side untouched, reports to staff, and the report goes with the fix', async () => {
    const t = await testPipeline();
    const key = 'releases/2025/Kevät tiedote.md';
    await t.upload(key, releaseText('Hyvä versio', '2025-04-01 10:00'));
    const before = await snapshot(t.publicSite);
    const etagsBefore = new Map<string, string>();
    for await (const summary of t.publicSite.list('')) etagsBefore.set(summary.key, summary.etag);

    await t.upload(key, '---\ntitle: ""\ndate: 2025-04-01 10:00\n---\n\nOtsikko puuttuu.\n');
    expect(await snapshot(t.publicSite)).toEqual(before);
    for await (const summary of t.publicSite.list('')) {
      expect(summary.etag, summary.key).toBe(etagsBefore.get(summary.key));
    }
    const report = JSON.parse((await text(t.bucket, reportKey(key))) ?? '{}');
    expect(report).toMatchObject({
      file: key,
      line: 2,
      when: '2026-01-15T12:00:00.000Z',
      problem: expect.stringContaining('title'),
    });
    expect(report.message).toContain('The version published before stays online.');
    expect(reportKey(key)).toBe('reports/releases/2025/Kevät tiedote.md.json');
    expect(t.notifier.notices.at(-1)).toMatchObject({
      type: 'release-rejected',
      to: 'viestinta@example.fi',
      report: { file: key, line: 2 },
    });
    await expectMatchesFullBuild(t);

    await t.upload(key, releaseText('Korjattu versio', '2025-04-01 10:00'));
    expect(await t.bucket.get(reportKey(key))).toBeUndefined();
    expect(parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries[0]?.title).toBe(
      'Korjattu versio',
    );
    await expectMatchesFullBuild(t);
  });

  it('publishes nothing for a bad first upload and sends no mail request without STAFF_EMAIL', async () => {
    const t = await testPipeline({ staffEmail: undefined });
    await t.upload('releases/rikki.md', 'ei etuliitettä eikä päivämäärää\n');
    const report = JSON.parse((await text(t.bucket, reportKey('releases/rikki.md'))) ?? '{}');
    expect(report.message).toContain('Nothing was published.');
    expect(t.notifier.notices).toEqual([]);
    expect((await snapshot(t.publicSite, 'releases/')).size).toBe(0);
    await t.remove('releases/rikki.md');
    expect(await t.bucket.get(reportKey('releases/rikki.md'))).toBeUndefined();
  });
});

describe('unchanged files', () => {
  it('are not rewritten, so their ETag stays and conditional GETs keep answering 304', async () => {
    const t = await testPipeline();
    await t.upload('releases/a.md', releaseText('A', '2025-01-01 10:00', { type: 'Blogi' }));
    await t.upload('releases/b.md', releaseText('B', '2025-02-01 10:00', { lang: 'sv' }));
    const etags = new Map<string, string>();
    for await (const summary of t.publicSite.list('')) etags.set(summary.key, summary.etag);
    const publicSite = t.publicSite as ConditionalStore;
    const writtenBefore = publicSite.written.length;

    await t.upload('releases/c.md', releaseText('C', '2025-03-01 10:00', { lang: 'sv' }));
    for (const path of ['feeds/category/blogi/atom.xml', 'releases/a.html', 'releases/b.html']) {
      const summary = (await snapshot(t.publicSite, path)).get(path);
      expect(summary, path).toBeDefined();
    }
    const after = new Map<string, string>();
    for await (const summary of t.publicSite.list('')) after.set(summary.key, summary.etag);
    expect(after.get('feeds/category/blogi/atom.xml')).toBe(
      etags.get('feeds/category/blogi/atom.xml'),
    );
    expect(after.get('releases/a.html')).toBe(etags.get('releases/a.html'));
    expect(after.get('feeds/atom.xml')).not.toBe(etags.get('feeds/atom.xml'));

    // Not even written again with the same bytes: a conditional GET with the old ETag answers 304
    // (tests/adapters/s3-object-store.test.ts shows S3 does).
    const rewritten = publicSite.written.slice(writtenBefore);
    expect(rewritten).toContain('feeds/atom.xml');
    expect(rewritten).not.toContain('releases/a.html');
    expect(rewritten).not.toContain('feeds/category/blogi/atom.xml');
    const before = t.logs.length;
    // A duplicate event writes nothing at all.
    await t.handle({ Records: [s3Record(t.bucketName, 'releases/c.md', 'created')] });
    expect(t.logs.slice(before).at(-1)?.fields).toMatchObject({ written: 0, deleted: 0 });
  });
});

describe('embargo', () => {
  it('keeps a future release out of everything until publish-due runs at its time', async () => {
    const t = await testPipeline();
    const { publishDue } = await import('../../src/pipeline/publish-due.js');
    await t.upload('releases/nyt.md', releaseText('Nyt', '2026-01-15 10:00'));
    await t.upload('releases/huomenna.md', releaseText('Huomenna', '2026-01-16 09:00'));

    const files = await snapshot(t.publicSite);
    expect([...files.keys()].some((path) => path.includes('huomenna'))).toBe(false);
    expect([...files.values()].some((body) => body.includes('Huomenna'))).toBe(false);
    expect(JSON.parse((await text(t.bucket, EMBARGO_KEY)) ?? '{}').entries).toEqual([
      { key: 'releases/huomenna.md', published: '2026-01-16T07:00:00.000Z' },
    ]);
    await expectMatchesFullBuild(t);

    t.clock.now = new Date('2026-01-16T06:59:00Z');
    expect((await publishDue(t.deps)).keys).toEqual([]);
    expect(
      t.notifier.notices.flatMap((n) => (n.type === 'release-published' ? [n.key] : [])),
    ).toEqual(['releases/nyt.md']);
    expect(
      t.notifier.notices.flatMap((n) =>
        n.type === 'staff-outcome' ? [[n.sourcePath, n.outcome]] : [],
      ),
    ).toEqual([
      ['nyt.md', 'published'],
      ['huomenna.md', 'scheduled'],
    ]);

    t.clock.now = new Date('2026-01-16T07:00:00Z');
    const published = await publishDue(t.deps);
    expect(published.keys.map((result) => [result.key, result.public])).toEqual([
      ['releases/huomenna.md', true],
    ]);
    expect(await text(t.publicSite, 'releases/huomenna.html')).toContain('Huomenna');
    expect(parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries[0]?.title).toBe(
      'Huomenna',
    );
    expect(JSON.parse((await text(t.bucket, EMBARGO_KEY)) ?? '{}').entries).toEqual([]);
    expect(t.notifier.notices.at(-1)).toMatchObject({
      type: 'release-published',
      key: 'releases/huomenna.md',
    });
    expect((await record(t, 'releases/huomenna.md'))?.release?.firstPublishedAt).toBe(
      '2026-01-16T07:00:00.000Z',
    );
    await expectMatchesFullBuild(t);
  });
});

describe('a WebSub hub', () => {
  it('is told of exactly the feeds that changed; a hub that fails loses nothing', async () => {
    const hub = await startTestHub();
    try {
      const t = await testPipeline({
        site: { ...SITE, websubHub: hub.url },
        hub: websubHub(hub.url),
      });
      await t.upload('releases/uusi.md', releaseText('Uusi', '2025-06-01 10:00', { lang: 'sv' }));
      const feeds = [...(await snapshot(t.publicSite, 'feeds/')).keys()];
      expect(feeds.length).toBeGreaterThan(6);
      expect(hub.pings.map((ping) => ping.form['hub.url']).sort()).toEqual(
        feeds.map((path) => `${SITE.siteUrl}/${path}`).sort(),
      );
      expect(await text(t.publicSite, 'feeds/atom.xml')).toContain(
        `<link rel="hub" href="${hub.url}"/>`,
      );

      // The same bytes again: nothing changed, nothing to announce.
      hub.pings.length = 0;
      await t.handle({ Records: [s3Record(t.bucketName, 'releases/uusi.md', 'created')] });
      expect(hub.pings).toEqual([]);

      hub.status = 500;
      await t.upload('releases/toinen.md', releaseText('Toinen', '2025-06-02 10:00'));
      expect(hub.pings.length).toBeGreaterThan(0);
      expect(t.logs.map((log) => log.message)).toContain('WebSub hub not told of changed feeds');
      await expectMatchesFullBuild(t);
    } finally {
      await hub.stop();
    }
  });
});
