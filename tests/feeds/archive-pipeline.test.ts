import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/shared/ports.js';
import { expectMatchesFullBuild, releaseText, testPipeline } from '../pipeline/harness.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

async function etags(store: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const summary of store.list('feeds/')) out.set(summary.key, summary.etag);
  return out;
}

/** The archive feed pages (folders) written, rewritten or removed between two snapshots. */
function changedArchivePages(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  const pages = new Set<string>();
  for (const path of paths) {
    if (!path.includes('/archive/') || before.get(path) === after.get(path)) continue;
    pages.add(path.slice(0, path.lastIndexOf('/') + 1));
  }
  return [...pages].sort();
}

describe('archived feeds in the pipeline', () => {
  it('an edit rewrites its month only; a new or emptied month also relinks its neighbours', async () => {
    const t = await testPipeline(s3);
    await t.upload('releases/a.md', releaseText('Tammikuu', '2025-01-10 09:00'));
    await t.upload('releases/b.md', releaseText('Maaliskuu', '2025-03-10 09:00'));
    await t.upload(
      'releases/c.md',
      releaseText('Toukokuu', '2025-05-10 09:00', { type: 'Kuulutus' }),
    );
    await t.upload(
      'releases/d.md',
      releaseText('Maaliskuu sv', '2025-03-12 09:00', { lang: 'sv' }),
    );
    await expectMatchesFullBuild(t);

    let before = await etags(t.publicSite);
    await t.upload('releases/b.md', releaseText('Maaliskuu, korjattu', '2025-03-10 09:00'));
    let after = await etags(t.publicSite);
    expect(changedArchivePages(before, after)).toEqual([
      'feeds/archive/2025-03/',
      'feeds/category/tiedote/archive/2025-03/',
      'feeds/lang/fi/archive/2025-03/',
    ]);
    await expectMatchesFullBuild(t);

    // A backdated import opens February: its pages appear, January's and March's are relinked.
    before = after;
    await t.upload('releases/e.md', releaseText('Helmikuu', '2025-02-10 09:00'));
    after = await etags(t.publicSite);
    expect(changedArchivePages(before, after)).toEqual([
      'feeds/archive/2025-01/',
      'feeds/archive/2025-02/',
      'feeds/archive/2025-03/',
      'feeds/category/tiedote/archive/2025-01/',
      'feeds/category/tiedote/archive/2025-02/',
      'feeds/category/tiedote/archive/2025-03/',
      'feeds/lang/fi/archive/2025-01/',
      'feeds/lang/fi/archive/2025-02/',
      'feeds/lang/fi/archive/2025-03/',
    ]);
    await expectMatchesFullBuild(t);

    // Withdrawing it closes February again: its pages go, the neighbours link to each other.
    before = after;
    await t.remove('releases/e.md');
    after = await etags(t.publicSite);
    expect(changedArchivePages(before, after)).toHaveLength(9);
    expect([...after.keys()].filter((path) => path.includes('/archive/2025-02/'))).toEqual([]);
    await expectMatchesFullBuild(t);
  });
});
