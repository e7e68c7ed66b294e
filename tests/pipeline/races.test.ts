import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKey } from '../../src/pipeline/reports.js';
import { recordKey, SITE_INDEX_KEY } from '../../src/pipeline/state-keys.js';
import { readDocument, updateDocument } from '../../src/pipeline/state-store.js';
import { syncRelease } from '../../src/pipeline/sync.js';
import { windowKey } from '../../src/pipeline/windows.js';
import { ConcurrentUpdateError } from '../../src/shared/json-document.js';
import { parseFeed } from '../support/feed-check.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';
import { expectMatchesFullBuild, releaseText, SITE, testPipeline, text } from './harness.js';
import { raceOnce } from './racy-store.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

const ALL_WINDOW = windowKey({ kind: 'all' });

async function titlesInFeed(store: Parameters<typeof text>[0]): Promise<(string | null)[]> {
  return parseFeed((await text(store, 'feeds/atom.xml')) ?? '').entries.map((entry) => entry.title);
}

describe('conditional writes of state (fault-injecting store)', () => {
  it('a window write that lost a race is retried, so neither release is lost', async () => {
    const t = await testPipeline(s3);
    await t.bucket.put('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.bucket.put('releases/b.md', releaseText('B', '2025-02-01 10:00'));
    // B's whole sync lands between A's read of the `all` window and A's write of it.
    const race = raceOnce(
      t.bucket,
      (key) => key === ALL_WINDOW,
      () => syncRelease(t.deps, 'releases/b.md'),
    );
    await syncRelease(t.deps, 'releases/a.md');
    expect(race.fired()).toBe(true);
    expect(t.bucket.preconditionFailures).toBeGreaterThan(0);
    expect(await titlesInFeed(t.publicSite)).toEqual(['B', 'A']);
    await expectMatchesFullBuild(t);
  });

  it('without the conditions (s3rver alone) the same race loses a release', async () => {
    const t = await testPipeline(s3);
    t.bucket.enforce = false;
    await t.bucket.put('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.bucket.put('releases/b.md', releaseText('B', '2025-02-01 10:00'));
    raceOnce(
      t.bucket,
      (key) => key === ALL_WINDOW,
      () => syncRelease(t.deps, 'releases/b.md'),
    );
    await syncRelease(t.deps, 'releases/a.md');
    const window = await readDocument<{ entries: { key: string }[] }>(t.bucket, ALL_WINDOW);
    expect(window?.value.entries.map((entry) => entry.key)).toEqual(['releases/a.md']);
  });

  it('an edit racing a deletion of the same file never resurrects it', async () => {
    const t = await testPipeline(s3);
    const key = 'releases/kiistelty.md';
    await t.upload(key, releaseText('Versio 1', '2025-01-01 10:00'));
    await t.bucket.put(key, releaseText('Versio 2', '2025-01-01 10:00'));
    // The edit's sync read version 2; before it writes the record, the file is deleted and the
    // deletion's sync runs to the end.
    raceOnce(
      t.bucket,
      (stateKey) => stateKey === recordKey(key),
      async () => {
        await t.bucket.delete(key);
        await syncRelease(t.deps, key);
      },
    );
    await syncRelease(t.deps, key);
    expect(t.bucket.preconditionFailures).toBeGreaterThan(0);
    expect(await t.publicSite.get('releases/kiistelty.html')).toBeUndefined();
    expect(await titlesInFeed(t.publicSite)).toEqual([]);
    await expectMatchesFullBuild(t);
  });

  it('a rejection report written after the fix was published is taken back', async () => {
    const t = await testPipeline(s3);
    const key = 'releases/korjattu.md';
    await t.bucket.put(key, '---\ntitle: Rikki\ndate: 31.2.2025 10:00\n---\n\nTeksti.\n');
    // The broken version's sync has written its record; before its report lands, staff upload
    // the fix and its sync runs to the end (deleting a report that is not there yet).
    const race = raceOnce(
      t.bucket,
      (reportPath) => reportPath === reportKey(key),
      async () => {
        await t.bucket.put(key, releaseText('Korjattu', '2025-02-03 10:00'));
        await syncRelease(t.deps, key);
      },
    );
    await syncRelease(t.deps, key);
    expect(race.fired()).toBe(true);
    expect(await t.bucket.get(reportKey(key))).toBeUndefined();
    expect(await titlesInFeed(t.publicSite)).toEqual(['Korjattu']);
    await expectMatchesFullBuild(t);
  });

  it('a public file written from stale state is rendered again', async () => {
    const t = await testPipeline(s3);
    await t.bucket.put('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.bucket.put('releases/b.md', releaseText('B', '2025-02-01 10:00'));
    // A has updated the state and rendered its feeds; B publishes completely before A's feed
    // write lands, so A's write puts the feed back to "A only" until A looks again.
    const publicPut = t.publicSite.put.bind(t.publicSite);
    let raced = false;
    t.publicSite.put = async (path, body, options) => {
      if (!raced && path === 'feeds/atom.xml') {
        raced = true;
        await syncRelease(t.deps, 'releases/b.md');
      }
      return publicPut(path, body, options);
    };
    await syncRelease(t.deps, 'releases/a.md');
    expect(raced).toBe(true);
    expect(await titlesInFeed(t.publicSite)).toEqual(['B', 'A']);
    await expectMatchesFullBuild(t);
  });

  it('a release in a year no refill has seen, racing a refill, is found by it', async () => {
    const t = await testPipeline(s3, { site: { ...SITE, feedLimit: 2 } });
    const sv = windowKey({ kind: 'lang', lang: 'sv' });
    // The sv window keeps 2 + 5; ten sv releases overflow it.
    for (let i = 0; i < 10; i += 1) {
      await t.upload(
        `releases/sv-${i}.md`,
        releaseText(`SV ${i}`, `2024-${String(i + 1).padStart(2, '0')}-1${i} 10:00`, {
          lang: 'sv',
        }),
      );
    }
    for (let i = 9; i >= 5; i -= 1) await t.remove(`releases/sv-${i}.md`);
    // Deleting sv-4 leaves one entry: the window refills from the archive. Between the refill's
    // read of the archive and its write, a release from 2019 (a year nobody has published in)
    // is synced; it sorts after the window's end, so its own sync leaves the window alone.
    await t.bucket.put(
      'releases/sv-vanha.md',
      releaseText('SV vanha', '2019-05-01 10:00', { lang: 'sv' }),
    );
    const race = raceOnce(
      t.bucket,
      (key, options) => key === sv && options.ifMatch !== undefined,
      () => syncRelease(t.deps, 'releases/sv-vanha.md'),
    );
    await t.remove('releases/sv-4.md');
    expect(race.fired()).toBe(true);
    const window = await readDocument<{ entries: { key: string }[]; exhaustive: boolean }>(
      t.bucket,
      sv,
    );
    expect(window?.value.entries.map((entry) => entry.key)).toEqual([
      'releases/sv-3.md',
      'releases/sv-2.md',
      'releases/sv-1.md',
      'releases/sv-0.md',
      'releases/sv-vanha.md',
    ]);
    expect(window?.value.exhaustive).toBe(true);
    for (let i = 3; i >= 0; i -= 1) await t.remove(`releases/sv-${i}.md`);
    const feed = parseFeed((await text(t.publicSite, 'feeds/lang/sv/atom.xml')) ?? '');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['SV vanha']);
    expect(JSON.parse((await text(t.bucket, SITE_INDEX_KEY)) ?? '{}').years).toEqual([2019]);
    await expectMatchesFullBuild(t);
  });

  it('gives up with ConcurrentUpdateError when every write keeps losing', async () => {
    const t = await testPipeline(s3);
    t.bucket.beforePut = async (key) => {
      if (key === 'state/contended.json') await t.bucket.inner.put(key, `{"n":${Math.random()}}`);
    };
    await t.bucket.put('state/contended.json', '{"n":0}');
    await expect(
      updateDocument(t.bucket, 'state/contended.json', () => ({ n: 1 }), {
        attempts: 3,
        sleep: async () => {},
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(t.bucket.preconditionFailures).toBe(3);
  });
});
