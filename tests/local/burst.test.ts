import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../src/local/stack.js';
import { recordKey } from '../../src/pipeline/state-keys.js';
import { expectMatchesFullBuild, releaseText } from '../pipeline/harness.js';
import { startFolderStack } from '../support/folder-stack.js';
import { mulberry32 } from '../support/random.js';

/**
 * Staff hammering the local stack: uploads and deletes through the S3 API, 25 at a time, while
 * the stack's one consumer applies s3rver's events in batches. The site must end equal to a clean
 * build of the objects left, with no failed batch and nothing deleted coming back.
 */

let stack: LocalStack;
let stop: (() => Promise<void>) | undefined;
const lines: string[] = [];

beforeAll(async () => {
  ({ stack, stop } = await startFolderStack('newsroom-burst-', 'viestinta@example.fi', (line) =>
    lines.push(line),
  ));
});

afterAll(async () => {
  await stop?.();
});

/** Runs `work` over `items`, `limit` at a time. */
async function inWaves<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** Waits until every key's record reflects the object as it is (events arrive after the PUTs). */
async function drained(keys: readonly string[]): Promise<void> {
  const store = stack.stores.releases;
  for (let round = 0; round < 200; round += 1) {
    await stack.settled();
    const pending = await Promise.all(
      keys.map(async (key) => {
        const [source, record] = await Promise.all([store.get(key), store.get(recordKey(key))]);
        const json = record ? JSON.parse(new TextDecoder().decode(record.body)) : undefined;
        return source === undefined
          ? json?.sourceEtag !== undefined
          : json?.sourceEtag !== source.etag;
      }),
    );
    if (!pending.some(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the queue did not drain');
}

/** Uploads at once: every one of them in flight together, as 25 staff saving at the same moment. */
const CONCURRENCY = 25;
/**
 * Twice the concurrency: the second wave queues behind the first, so batches overlap uploads
 * still arriving. Size is not the subject here (the 500-file import in staff-imports is); each
 * upload beyond this repeated the same batch work (the first test with 200 uploads took 27.9 s of
 * CPU, stack start included; with 50, 13.4 s).
 */
const UPLOADS = 2 * CONCURRENCY;

const pipelineOf = () => ({
  bucket: stack.stores.releases,
  publicSite: stack.stores.public,
  deps: stack.pipeline,
});

describe('a burst on the local stack', () => {
  it(`${UPLOADS} uploads at ${CONCURRENCY} at a time: every release published, no failed batch, site = clean build`, async () => {
    const random = mulberry32(200);
    const keys = Array.from({ length: UPLOADS }, (_, i) => `releases/purske/${i}.md`);
    const batchesBefore = lines.filter((line) => line.includes('batch')).length;
    await inWaves(keys, CONCURRENCY, async (key) => {
      const year = 2015 + Math.floor(random() * 11);
      const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
      const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
      const lang = random() < 0.2 ? 'sv' : 'fi';
      const type = random() < 0.3 ? 'Blogi' : 'Tiedote';
      const text = releaseText(`Purske ${key}`, `${year}-${month}-${day} 10:00`, { lang, type });
      await stack.stores.releases.put(key, text, { contentType: 'text/markdown' });
    });
    await drained(keys);

    const summary = await stack.summary();
    expect(summary.failures).toBe(0);
    expect(summary.published).toBe(UPLOADS);
    expect(lines.slice(batchesBefore).filter((line) => line.includes('failed'))).toEqual([]);
    expect(await expectMatchesFullBuild(pipelineOf())).toBeGreaterThan(UPLOADS);
  }, 300_000);

  it('puts and deletes racing over 60 keys: the last action of each key wins, nothing resurrected', async () => {
    const random = mulberry32(60);
    const keys = Array.from({ length: 60 }, (_, i) => `releases/kilpa/${i}.md`);
    const actions: { key: string; put: boolean; version: number }[] = [];
    for (let version = 0; version < 6; version += 1) {
      for (const key of keys) actions.push({ key, put: version === 0 || random() < 0.5, version });
    }
    // Each key's actions stay in order (one staff member per file); keys interleave 25 at a time.
    const byKey = new Map(keys.map((key) => [key, actions.filter((a) => a.key === key)]));
    await inWaves(keys, CONCURRENCY, async (key) => {
      for (const action of byKey.get(key) ?? []) {
        if (action.put) {
          const text = releaseText(`Kilpa ${key} v${action.version}`, '2024-06-01 10:00');
          await stack.stores.releases.put(key, text, { contentType: 'text/markdown' });
        } else {
          await stack.stores.releases.delete(key);
        }
      }
    });
    await drained(keys);

    const deleted = keys.filter((key) => !(byKey.get(key)?.at(-1)?.put ?? false));
    expect(deleted.length).toBeGreaterThan(10);
    const summary = await stack.summary();
    expect(summary.failures).toBe(0);
    expect(summary.published).toBe(UPLOADS + keys.length - deleted.length);
    await expectMatchesFullBuild(pipelineOf());
    const front = await (await fetch(stack.urls.feeds.atom)).text();
    for (const key of deleted) expect(front).not.toContain(`Kilpa ${key} `);
  }, 300_000);
});
