// `npm run test:durations`: writes tests/durations.json, each test file's duration in the last
// vitest run (vitest's own cache, node_modules/.vite), rounded to a tenth of a second. The suite
// starts the longest files first (vitest.config.ts); a fresh clone has no cache of its own and
// orders by this committed copy instead (the way pytest-split keeps .test_durations). Refresh it
// after a full `npm test` when files were added or got much slower or faster.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.vite', 'vitest');

const caches = readdirSync(CACHE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(CACHE, entry.name, 'results.json'));
const durations = {};
for (const file of caches) {
  for (const [key, result] of JSON.parse(readFileSync(file, 'utf8')).results) {
    const file = key.slice(key.indexOf(':') + 1);
    const usable = typeof result?.duration === 'number' && !result.failed;
    if (file.startsWith('tests/') && usable && existsSync(join(ROOT, file))) {
      durations[key] = Math.round(result.duration / 100) / 10;
    }
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(join(ROOT, 'tests', 'durations.json'), `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`tests/durations.json: ${Object.keys(sorted).length} files\n`);
