import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  statfsSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

// A test file is a unit test unless it starts something outside its own process or reads the
// network: a local S3/SES/hub/web server, a child process (CLI, python feed checks, osls), a
// worker, esbuild or a browser. `npm run test:unit` runs only those, for the edit loop; a file
// that starts to import one of these moves to the full suite by itself.
const OUT_OF_PROCESS =
  /from '(?:\.\.\/)+support\/(?:s3|ses|hub|cli|faults|feed-check|subscribe-server)\.js'|from 'node:(?:child_process|worker_threads|net|http)'|from '(?:s3rver|esbuild|playwright-core)'|\.\/(?:harness|pipeline-world)\.js'|scripts\/bundle\.js'|src\/cli\/build-threads\.js'|src\/local\/stack\.js'/;

// An integration file that changes process-wide state its process keeps: the local stack sets
// environment variables (and the subscriptions API caches them at import), mocks, stubbed
// globals, fake timers. These keep a fresh process per file; the other integration files share
// their worker's module graph, as the unit files do.
const PROCESS_STATE =
  /local\/stack\.js'|folder-stack\.js'|subscribe-server\.js'|functions\/|vi\.(?:mock|doMock|resetModules|stubEnv|stubGlobal|useFakeTimers)\(|process\.env(?:\.\w+|\[[^\]]+\]) *=[^=]|delete process\.env|process\.chdir|globalThis\./;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const root = import.meta.dirname;
const sources = testFiles(join(root, 'tests')).map((file) => ({
  file: relative(root, file),
  text: readFileSync(file, 'utf8'),
}));
const unitFiles = sources.filter(({ text }) => !OUT_OF_PROCESS.test(text)).map(({ file }) => file);
// Measures answer times: no other file's leftovers in its event loop.
const TIMED = ['tests/subscribers/answer-time.test.ts'];
const ownProcessFiles = sources
  .filter(
    ({ file, text }) =>
      TIMED.includes(file) || (OUT_OF_PROCESS.test(text) && PROCESS_STATE.test(text)),
  )
  .map(({ file }) => file);

/**
 * The longest files first, whichever project they are in. vitest's own order runs the projects
 * one after the other (integration, integration-own-process, unit), each longest first, so the
 * heaviest own-process files (the 500-file import, the burst) started two thirds into the run
 * and ended it with one core idle. Durations come from vitest's cache of the last run, or in a
 * fresh clone (no cache yet) from tests/durations.json, the committed copy of one
 * (`npm run test:durations` refreshes it); files neither has seen go first, as vitest does.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const committed = committedDurations();
    const duration = (file: TestSpecification) => {
      const key = `${file.project.name}:${relative(root, file.moduleId)}`;
      const cached = this.ctx.cache.getFileTestResults(key)?.duration;
      return cached ?? (committed[key] ?? Number.POSITIVE_INFINITY) * 1000;
    };
    const durations = new Map(files.map((file) => [file, duration(file)]));
    return [...(await super.sort(files))].sort((a, b) => {
      const [first, second] = [durations.get(a) ?? 0, durations.get(b) ?? 0];
      return first === second ? 0 : second > first ? 1 : -1;
    });
  }
}

/** tests/durations.json: seconds per `project:file`, from an earlier run. */
function committedDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(root, 'tests', 'durations.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** Free space /dev/shm must have for the tests' files to go there (see {@link ramTemp}). */
const RAM_TEMP_MIN_BYTES = 2 * 1024 ** 3;

/**
 * The tests' temporary folder in RAM where the machine has one (/dev/shm): s3rver keeps every
 * object as files, and the CLI tests write and read back hundreds of pages per build. One folder
 * per user, kept between runs (the `npm start` tests keep tsx's cache in it), open to every user
 * with the sticky bit as /tmp is; each test removes what it made. Without /dev/shm, or where it
 * is small (a container's default is 64 MB, less than one run's builds and buckets), the system's
 * temporary folder as before.
 */
function ramTemp(): Record<string, string> {
  try {
    accessSync('/dev/shm', constants.W_OK);
    const { bavail, bsize } = statfsSync('/dev/shm');
    if (bavail * bsize < RAM_TEMP_MIN_BYTES) return {};
  } catch {
    return {};
  }
  const dir = join('/dev/shm', `newsroom-tests-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true });
  // As /tmp is: the CLI tests run some commands as another user (nobody), which write there too.
  chmodSync(dir, 0o1777);
  return { TMPDIR: dir };
}

const shared = {
  env: ramTemp(),
  pool: 'forks' as const,
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL refuses
  // without the legacy provider (see docs/stack notes); truncated listings would answer 500.
  execArgv: ['--openssl-legacy-provider'],
  // vitest's default (one fewer than the cores) runs one file at a time on 2 cores, while most
  // integration files spend their time waiting on child processes and local servers.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: unitFiles,
          // The logic files share their worker's module graph instead of importing it afresh per
          // file (870 tests: ~44 → ~27 s of CPU). Safe while they leave no global state behind:
          // none sets process.env or fake timers outside vi.stubEnv / restored spies, and
          // anything that starts a server or a stack is in the integration project.
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          // The CLI bundle the CLI tests run under plain node, built once per run if stale.
          globalSetup: ['tests/support/global-setup.ts'],
          include: ['tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...unitFiles, ...ownProcessFiles],
          // Shares each worker's module graph (46 files alone: 189 → 155 s of CPU).
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'integration-own-process',
          globalSetup: ['tests/support/global-setup.ts'],
          include: ownProcessFiles,
        },
      },
    ],
  },
});
