import { describe, expect, it } from 'vitest';
import { applyBatch } from '../../src/pipeline/batch.js';
import type { PipelineEvent } from '../../src/pipeline/events.js';
import { reportKey } from '../../src/pipeline/reports.js';
import { recordKey, SITE_INDEX_KEY } from '../../src/pipeline/state-keys.js';
import { windowKey } from '../../src/pipeline/windows.js';
import { PreconditionFailedError, type PutOptions } from '../../src/shared/ports.js';
import { parseFeed } from '../support/feed-check.js';
import {
  expectMatchesFullBuild,
  nextSequencer,
  releaseText,
  SITE,
  testPipeline,
  text,
} from './harness.js';
import { raceOnce } from './racy-store.js';

const ALL_WINDOW = windowKey({ kind: 'all' });

const put = (key: string, sequencer = nextSequencer()): PipelineEvent => ({
  kind: 'object',
  key,
  sequencer,
});

async function titlesInFeed(store: Parameters<typeof text>[0]): Promise<(string | null)[]> {
  return parseFeed((await text(store, 'feeds/atom.xml')) ?? '').entries.map((entry) => entry.title);
}

/** Counts the PUTs of each key that go through `store.put`. */
function countPuts(store: { put: (k: string, b: string | Uint8Array, o?: PutOptions) => unknown }) {
  const counts = new Map<string, number>();
  const original = store.put.bind(store);
  store.put = (key, body, options) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original(key, body, options);
  };
  return counts;
}

describe('one batch, one change', () => {
  it('writes every derived document and public file once for a batch of 30 uploads', async () => {
    const t = await testPipeline();
    const keys = Array.from({ length: 30 }, (_, i) => `releases/erä/${i}.md`);
    for (const [i, key] of keys.entries()) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await t.bucket.put(key, releaseText(`Erä ${i}`, `2025-0${1 + (i % 3)}-${day} 10:00`));
    }
    const statePuts = countPuts(t.bucket);
    const publicPuts = countPuts(t.publicSite);
    const result = await applyBatch(
      t.deps,
      keys.map((key) => put(key)),
    );

    expect(result.keys.filter((key) => key.change === 'accepted')).toHaveLength(30);
    expect(Math.max(...statePuts.values())).toBe(2); // a record: accepted, then finished
    expect(statePuts.get(ALL_WINDOW)).toBe(1);
    for (const month of ['01', '02', '03'])
      expect(statePuts.get(`state/months/2025-${month}.json`)).toBe(1);
    expect(statePuts.get(SITE_INDEX_KEY)).toBe(1);
    expect(Math.max(...publicPuts.values())).toBe(1);
    // Pages, 3 scopes' feeds, the index, a year page and 3 month pages, 3 month sitemaps, the
    // sitemap index and pages sitemap, the site-wide 404.html, theme.css and favicon.svg, the
    // Tiedote category's feeds under its two older label folders (pressmeddelande, press-release),
    // and the 3 scopes' archive feed pages of 3 months.
    expect(publicPuts.size).toBe(30 + 3 * 3 + 1 + 1 + 3 + 3 + 2 + 3 + 2 * 3 + 3 * 3 * 3);
    expect(await titlesInFeed(t.publicSite)).toHaveLength(30);
    await expectMatchesFullBuild(t);
  });

  it('dedupes a key named many times, skips a stale event and follows the object as it is', async () => {
    const t = await testPipeline();
    const key = 'releases/monesti.md';
    await t.upload(key, releaseText('Versio 1', '2025-01-01 10:00'));
    const old = nextSequencer();
    await t.bucket.put(key, releaseText('Versio 2', '2025-01-01 10:00'));
    const newer = nextSequencer();
    const result = await applyBatch(t.deps, [put(key, newer), put(key, old), put(key, newer)]);
    expect(result.keys).toEqual([{ key, change: 'accepted', public: true }]);
    // Delivered again later, alone: older than what the record has seen.
    const stale = await applyBatch(t.deps, [put(key, old)]);
    expect(stale.keys).toEqual([]);
    expect(t.logs.some((log) => log.message === 'stale event skipped')).toBe(true);
    expect(await titlesInFeed(t.publicSite)).toEqual(['Versio 2']);
    await expectMatchesFullBuild(t);
  });

  it('a put and a delete of one key in one batch: the object as it is now wins', async () => {
    const t = await testPipeline();
    const key = 'releases/poistettu.md';
    await t.upload(key, releaseText('Julkaistu', '2025-01-01 10:00'));
    await t.bucket.put(key, releaseText('Muokattu', '2025-01-01 10:00'));
    await t.bucket.delete(key);
    await applyBatch(t.deps, [put(key), put(key)]);
    expect(await t.publicSite.get('releases/2025-julkaistu.html')).toBeUndefined();
    expect(await titlesInFeed(t.publicSite)).toEqual([]);
    await expectMatchesFullBuild(t);
  });
});

describe('conditional writes guard against an unexpected second writer', () => {
  it('a second writer between the read and the write fails the batch; its retry converges', async () => {
    const t = await testPipeline();
    await t.bucket.put('releases/a.md', releaseText('A', '2025-01-01 10:00'));
    await t.bucket.put('releases/b.md', releaseText('B', '2025-02-01 10:00'));
    const race = raceOnce(
      t.bucket,
      (key) => key === ALL_WINDOW,
      () => applyBatch(t.deps, [put('releases/b.md')]),
    );
    await expect(applyBatch(t.deps, [put('releases/a.md')])).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(race.fired()).toBe(true);
    expect(t.bucket.preconditionFailures).toBe(1);
    // The queue redelivers the failed batch: nothing is lost.
    await applyBatch(t.deps, [put('releases/a.md')]);
    expect(await titlesInFeed(t.publicSite)).toEqual(['B', 'A']);
    await expectMatchesFullBuild(t);
  });

  it('a fix uploaded while a broken version is in the same batch leaves no report', async () => {
    const t = await testPipeline();
    const key = 'releases/korjattu.md';
    await t.upload(key, '---\ntitle: Rikki\ndate: 31.2.2025 10:00\n---\n\nTeksti.\n');
    expect(await t.bucket.get(reportKey(key))).toBeDefined();
    await t.bucket.put(key, releaseText('Korjattu', '2025-02-03 10:00'));
    await applyBatch(t.deps, [put(key), put(key)]);
    expect(await t.bucket.get(reportKey(key))).toBeUndefined();
    expect((await t.bucket.get(recordKey(key))) !== undefined).toBe(true);
    expect(await titlesInFeed(t.publicSite)).toEqual(['Korjattu']);
    await expectMatchesFullBuild(t);
  });

  it('deletions that drain a window refill it from older years in the same batch', async () => {
    const t = await testPipeline({ site: { ...SITE, feedLimit: 2 } });
    const keys = Array.from({ length: 10 }, (_, i) => `releases/sv-${i}.md`);
    for (const [i, key] of keys.entries()) {
      const date = `${2015 + i}-05-01 10:00`;
      await t.bucket.put(key, releaseText(`SV ${i}`, date, { lang: 'sv' }));
    }
    await applyBatch(
      t.deps,
      keys.map((key) => put(key)),
    );
    for (const key of keys.slice(2)) await t.bucket.delete(key);
    const result = await applyBatch(
      t.deps,
      keys.slice(2).map((key) => put(key)),
    );
    expect(result.refilled).toContain(windowKey({ kind: 'lang', lang: 'sv' }));
    const feed = parseFeed((await text(t.publicSite, 'feeds/lang/sv/atom.xml')) ?? '');
    expect(feed.entries.map((entry) => entry.title)).toEqual(['SV 1', 'SV 0']);
    expect(JSON.parse((await text(t.bucket, SITE_INDEX_KEY)) ?? '{}').years).toEqual([2016, 2015]);
    await expectMatchesFullBuild(t);
  });
});
