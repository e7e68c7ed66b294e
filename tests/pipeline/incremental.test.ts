import { expect, it } from 'vitest';
import { publishDue } from '../../src/pipeline/publish-due.js';
import { mulberry32 } from '../support/random.js';
import { expectMatchesFullBuild, releaseText, SITE, testPipeline } from './harness.js';

const TYPES = ['Tiedote', 'Blogi', 'Kuulutus'];
const LANGS = ['fi', 'fi', 'sv', 'en'];

it('after uploads, edits, deletes, rejections and embargoes, equals a full build byte for byte', async () => {
  // Small feeds, so category and language windows overflow and refill from the archive.
  const t = await testPipeline({ site: { ...SITE, feedLimit: 3 } });
  const random = mulberry32(20260115);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const live = new Set<string>();
  const dates = new Map<string, string>();
  const version = (key: string, i: number, title: string) => {
    const year = 2023 + Math.floor(random() * 3);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const date = `${year}-${month}-${day} ${String(8 + (i % 9)).padStart(2, '0')}:00`;
    dates.set(key, date);
    return releaseText(title, date, { type: pick(TYPES), lang: pick(LANGS) });
  };

  let checks = 0;
  for (let step = 0; step < 70; step += 1) {
    const roll = random();
    const existing = [...live];
    if (roll < 0.5 || existing.length < 8) {
      const i = step;
      const key = `releases/${2023 + (i % 3)}/tiedote ${i}.md`;
      await t.upload(key, version(key, i, `Tiedote ${i}`));
      live.add(key);
    } else if (roll < 0.7) {
      const key = pick(existing);
      await t.upload(key, version(key, step, `Muokattu ${step}`));
    } else if (roll < 0.9) {
      const key = pick(existing);
      await t.remove(key);
      live.delete(key);
    } else if (roll < 0.95) {
      await t.upload(pick(existing), '---\ntitle: Rikki\ndate: ei päivää\n---\n');
    } else {
      const key = `releases/tuleva ${step}.md`;
      dates.set(key, '2026-01-20 09:00');
      await t.upload(key, releaseText(`Tuleva ${step}`, '2026-01-20 09:00', { type: pick(TYPES) }));
      live.add(key);
    }
    if (step % 10 === 9) {
      checks += 1;
      expect(await expectMatchesFullBuild(t)).toBeGreaterThan(10);
    }
  }
  // Delete most of what is left, newest first: windows drain from the top and refill from the
  // archive, several run empty.
  const newestFirst = [...live].sort((a, b) =>
    (dates.get(a) ?? '') < (dates.get(b) ?? '') ? 1 : -1,
  );
  for (const key of newestFirst.slice(0, Math.floor(live.size * 0.8))) {
    await t.remove(key);
    live.delete(key);
  }
  await expectMatchesFullBuild(t);
  t.clock.now = new Date('2026-01-21T00:00:00Z');
  await publishDue(t.deps);
  await expectMatchesFullBuild(t);
  expect(checks).toBe(7);
  const refills = t.logs.flatMap((log) => (log.fields?.refilled as string[] | undefined) ?? []);
  expect(refills.length).toBeGreaterThanOrEqual(2);
}, 300_000);
