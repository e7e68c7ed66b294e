import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/shared/ports.js';
import { expectMatchesFullBuild, releaseText, testPipeline } from '../pipeline/harness.js';

/** Records every PUT and DELETE of an archive feed file that goes through `store`. */
function archiveWrites(store: ObjectStore): { puts: string[]; deletes: string[] } {
  const seen = { puts: [] as string[], deletes: [] as string[] };
  const put = store.put.bind(store);
  const remove = store.delete.bind(store);
  store.put = (key, body, options) => {
    if (key.includes('/archive/')) seen.puts.push(key);
    return put(key, body, options);
  };
  store.delete = (key) => {
    if (key.includes('/archive/')) seen.deletes.push(key);
    return remove(key);
  };
  return seen;
}

/** The archive pages (paths without the format) among `paths`, each once, sorted. */
function pages(paths: readonly string[]): string[] {
  return [
    ...new Set(paths.map((path) => path.replace(/\.(atom\.xml|rss\.xml|feed\.json)$/, ''))),
  ].sort();
}

describe('archived feeds in the pipeline', () => {
  it('an upload rewrites one archive page per scope; a new or emptied month relinks its neighbours', async () => {
    const t = await testPipeline();
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

    // An edit: its month's page in each of its three scopes, each format written once.
    let writes = archiveWrites(t.publicSite);
    await t.upload('releases/b.md', releaseText('Maaliskuu, korjattu', '2025-03-10 09:00'));
    expect(pages(writes.puts)).toEqual([
      'feeds/archive/2025-03',
      'feeds/category/tiedote/archive/2025-03',
      'feeds/lang/fi/archive/2025-03',
    ]);
    expect(writes.puts).toHaveLength(3 * 3);
    expect(writes.deletes).toEqual([]);
    await expectMatchesFullBuild(t);

    // A backdated import into a month that has releases: that month's pages only.
    writes = archiveWrites(t.publicSite);
    await t.upload('releases/a2.md', releaseText('Tammikuu 2', '2025-01-20 09:00'));
    expect(pages(writes.puts)).toEqual([
      'feeds/archive/2025-01',
      'feeds/category/tiedote/archive/2025-01',
      'feeds/lang/fi/archive/2025-01',
    ]);
    expect(writes.puts).toHaveLength(3 * 3);
    await expectMatchesFullBuild(t);

    // A backdated import that opens February: its pages, and January's and March's relinked.
    writes = archiveWrites(t.publicSite);
    await t.upload('releases/e.md', releaseText('Helmikuu', '2025-02-10 09:00'));
    expect(pages(writes.puts)).toEqual([
      'feeds/archive/2025-01',
      'feeds/archive/2025-02',
      'feeds/archive/2025-03',
      'feeds/category/tiedote/archive/2025-01',
      'feeds/category/tiedote/archive/2025-02',
      'feeds/category/tiedote/archive/2025-03',
      'feeds/lang/fi/archive/2025-01',
      'feeds/lang/fi/archive/2025-02',
      'feeds/lang/fi/archive/2025-03',
    ]);
    // JSON Feed pages link only to the older month (next_url): January's stay as they were.
    expect(writes.puts.filter((path) => path.endsWith('feed.json'))).toHaveLength(6);
    expect(writes.puts.filter((path) => path.includes('2025-01.feed.json'))).toEqual([]);
    expect(writes.puts).toHaveLength(3 * 3 + 3 * 3 + 3 * 2);
    await expectMatchesFullBuild(t);

    // Withdrawing it closes February again: its pages go, the neighbours link to each other.
    writes = archiveWrites(t.publicSite);
    await t.remove('releases/e.md');
    expect(pages(writes.deletes)).toEqual([
      'feeds/archive/2025-02',
      'feeds/category/tiedote/archive/2025-02',
      'feeds/lang/fi/archive/2025-02',
    ]);
    expect(writes.deletes).toHaveLength(3 * 3);
    expect(pages(writes.puts)).toEqual([
      'feeds/archive/2025-01',
      'feeds/archive/2025-03',
      'feeds/category/tiedote/archive/2025-01',
      'feeds/category/tiedote/archive/2025-03',
      'feeds/lang/fi/archive/2025-01',
      'feeds/lang/fi/archive/2025-03',
    ]);
    expect(writes.puts).toHaveLength(3 * 3 + 3 * 2);
    await expectMatchesFullBuild(t);
  });
});
