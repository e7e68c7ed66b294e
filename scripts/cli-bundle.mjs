// The CLI's esbuild bundle in dist/cli/, built on first use and again whenever a file it was
// built from has changed. Plain JavaScript on purpose: the point is to start without compiling
// TypeScript at run time. Used by scripts/newsroom.mjs and by the test suite's global setup.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Two folders deep like src/<capability>/, so that paths the code resolves from its own location
// (templates/digest/, examples/) still point at the project's folders.
const OUT_DIR = join(ROOT, 'dist', 'cli');
const MAIN = join(OUT_DIR, 'main.mjs');
const INPUTS = join(OUT_DIR, 'inputs.json');

/**
 * Path of the CLI bundle (dist/cli/main.mjs), built first if missing or older than a file it was
 * built from. The test suite calls it once per run and then starts the bundle with plain `node`.
 */
export async function freshCliBundle() {
  if (await isStale()) {
    try {
      await bundle();
    } catch (error) {
      // Another user's checkout (read-only to this one): use the bundle that is there, if any.
      if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code) || !exists(MAIN)) throw error;
      process.stderr.write(
        `newsroom: ${OUT_DIR} is out of date but not writable by you (${error.code}); running it as it is.\n`,
      );
    }
  }
  return MAIN;
}

function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the bundle is missing or older than a project file it was built from, or than the
 * installed dependencies (npm rewrites node_modules/.package-lock.json on every install).
 */
async function isStale() {
  let built;
  let inputs;
  try {
    built = statSync(MAIN).mtimeMs;
    inputs = JSON.parse(await readFile(INPUTS, 'utf8'));
  } catch {
    return true;
  }
  return inputs.some((input) => {
    try {
      return statSync(join(ROOT, input)).mtimeMs > built;
    } catch {
      return true;
    }
  });
}

/**
 * Bundles the CLI into a fresh folder beside dist/cli/ and then swaps it in, so that a run never
 * imports a half-written bundle and chunks of older builds do not pile up.
 */
async function bundle() {
  // Only here: running an up-to-date bundle needs no esbuild at all.
  const { build } = await import('esbuild');
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  // Not mkdtemp: its folders are private to their creator (0700), and the bundle must be usable
  // by every user of the checkout. mkdir applies the umask like any other folder.
  const staging = join(ROOT, 'dist', `cli-${randomUUID()}`);
  await mkdir(staging);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts', 'build-worker': 'src/cli/build-worker.ts' },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Same as the Lambda bundles (serverless.yml): sanitize-html's postcss is never used.
    alias: { postcss: './src/release/postcss-stub.ts' },
    external: ['typescript'],
    banner: {
      js: "import { createRequire as __newsroomCreateRequire } from 'node:module'; const require = __newsroomCreateRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  const sources = Object.keys(result.metafile.inputs).filter(
    (input) => !input.includes('node_modules'),
  );
  await writeFile(
    join(staging, 'inputs.json'),
    JSON.stringify([...sources, 'node_modules/.package-lock.json']),
  );
  await rm(OUT_DIR, { recursive: true, force: true });
  try {
    await rename(staging, OUT_DIR);
  } catch (error) {
    // Another run rebuilt the same sources at the same moment and swapped its bundle in first.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    await rm(staging, { recursive: true, force: true });
  }
}
