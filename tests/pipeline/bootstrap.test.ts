import { expect, it } from 'vitest';
import { deriveState, type SourceRelease, writeState } from '../../src/pipeline/bootstrap.js';
import { isReleaseKey, RELEASES_PREFIX, sourcePathOf } from '../../src/pipeline/s3-event.js';
import { STATE_PREFIX } from '../../src/pipeline/state-keys.js';
import { parseRelease } from '../../src/release/parse.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { expectMatchesFullBuild, releaseText, SITE, snapshot, testPipeline } from './harness.js';

it('derives in one pass the state that publishing release by release builds', async () => {
  const site = { ...SITE, feedLimit: 2 };
  const t = await testPipeline({ site });
  for (let i = 0; i < 14; i += 1) {
    const fields = {
      type: ['Tiedote', 'Blogi'][i % 2] ?? 'Tiedote',
      lang: i % 3 === 0 ? 'sv' : 'fi',
    };
    await t.upload(
      `releases/${2024 + (i % 3)}/r${i}.md`,
      releaseText(`R ${i}`, `${2024 + (i % 3)}-0${1 + (i % 9)}-0${1 + (i % 9)} 10:00`, fields),
    );
  }
  await t.upload('releases/tuleva.md', releaseText('Tuleva', '2026-02-01 10:00'));

  const sources: SourceRelease[] = [];
  for await (const summary of t.bucket.list(RELEASES_PREFIX)) {
    if (!isReleaseKey(summary.key)) continue;
    const object = await t.bucket.get(summary.key);
    const parsed = parseRelease(sourcePathOf(summary.key), object?.body ?? new Uint8Array(), site);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    sources.push({ key: summary.key, sourceEtag: summary.etag, release: parsed.release });
  }
  // Published one by one at the test clock's instant: so is every firstPublishedAt.
  const derived = deriveState(sources, site, t.clock.read(), { publishedAt: t.clock.read() });

  const other = new ConditionalStore();
  await writeState(other, derived);
  const withoutSequencers = (docs: Map<string, string>) =>
    new Map(
      [...docs].map(([key, text]) => {
        const { sequencer: _s, ...rest } = JSON.parse(text) as { sequencer?: string };
        return [key, rest];
      }),
    );
  const incremental = withoutSequencers(await snapshot(t.bucket, STATE_PREFIX));
  const bootstrapped = withoutSequencers(await snapshot(other, STATE_PREFIX));
  expect([...bootstrapped.keys()].sort()).toEqual([...incremental.keys()].sort());
  for (const [key, doc] of incremental) expect(bootstrapped.get(key), key).toEqual(doc);
  await expectMatchesFullBuild(t);
});
