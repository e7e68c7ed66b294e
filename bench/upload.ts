import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, S3ObjectStore } from '../src/adapters/s3-object-store.js';
import { S3RVER_CREDENTIALS } from '../src/local/s3-server.js';
import { applyBatch } from '../src/pipeline/batch.js';
import { deriveState, type SourceRelease, writeState } from '../src/pipeline/bootstrap.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { DISCARD_NOTICES } from '../src/pipeline/notifier.js';
import { isReleaseKey, RELEASES_PREFIX, sourcePathOf } from '../src/pipeline/s3-event.js';
import { SLUGS_PREFIX } from '../src/pipeline/state-keys.js';
import { parseRelease } from '../src/release/parse.js';
import type { Release } from '../src/release/types.js';
import { buildSite } from '../src/site/build.js';
import { countRequests } from '../tests/support/request-counter.js';
import { generateRelease, BENCH_SITE as SITE } from './generate.js';
import { fixed, table } from './report.js';
import { median } from './stats.js';

/** One measured operation at one archive size. */
export interface UploadBenchRow {
  releases: number;
  operation: 'new release' | 'edit of an old release';
  /** The incremental pipeline: S3 requests and wall time for one upload's event. */
  incremental: { requests: number; ms: number };
  /** A naive full rebuild per upload: list and get every release, render, put every file. */
  naive: { requests: number; ms: number };
  /** naive ÷ incremental. */
  ratio: { requests: number; ms: number };
}

const NOW = new Date('2026-06-01T12:00:00Z');
const SIZES = [100, 1_000, 10_000];
const NEW_UPLOADS = 3;
const CONCURRENCY = 32;

/** One upload's event, applied as a batch of one by the publisher. */
const syncRelease = (deps: PipelineDeps, key: string) =>
  applyBatch(deps, [{ kind: 'object', key }]);

/**
 * S3 requests and milliseconds per upload at 100, 1,000 and 10,000 releases against a real s3rver,
 * for the incremental pipeline and for a naive full rebuild, with the ratio. Runs in a child
 * process: s3rver needs `--openssl-legacy-provider` to page through listings of over 1,000 keys.
 */
export async function benchUpload(sizes: readonly number[] = SIZES): Promise<UploadBenchRow[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      sizes.join(','),
    ],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as UploadBenchRow[];
}

async function measureAll(sizes: readonly number[]): Promise<UploadBenchRow[]> {
  const rows: UploadBenchRow[] = [];
  for (const size of sizes) rows.push(...(await measure(size)));
  return rows;
}

async function measure(size: number): Promise<UploadBenchRow[]> {
  const s3 = await startExternalS3rver();
  try {
    for (const name of ['bench-releases', 'bench-public']) {
      await s3.client.send(new CreateBucketCommand({ Bucket: name }));
    }
    const bucket = new S3ObjectStore(s3.client, 'bench-releases');
    const publicSite = new S3ObjectStore(s3.client, 'bench-public');
    await seed(bucket, size);

    const deps: PipelineDeps = {
      bucket,
      publicSite,
      site: SITE,
      clock: () => NOW,
      notifier: DISCARD_NOTICES,
      log: () => {},
    };
    const counter = countRequests(s3.client);
    const timed = async (work: () => Promise<unknown>) => {
      counter.reset();
      const started = performance.now();
      await work();
      return { ms: performance.now() - started, requests: counter.snapshot().total };
    };

    // One untimed upload first, so the timed ones do not pay for JIT warm-up.
    await bucket.put('releases/2026/lammittely.md', generated(size + 100, '2026-05-01T09:00:00Z'));
    await syncRelease(deps, 'releases/2026/lammittely.md');
    const fresh = [];
    for (let i = 0; i < NEW_UPLOADS; i += 1) {
      const key = `releases/2026/uusi-${i}.md`;
      await bucket.put(key, generated(size + i, `2026-05-2${i}T09:00:00Z`));
      fresh.push(await timed(() => syncRelease(deps, key)));
    }
    const old = generateRelease(Math.floor(size / 2));
    await bucket.put(`releases/${old.path}`, old.text.replace('title: "', 'title: "Korjattu: '));
    const edit = await timed(() => syncRelease(deps, `releases/${old.path}`));
    const naive = await timed(() => naiveRebuild(bucket, publicSite));

    const row = (
      operation: UploadBenchRow['operation'],
      incremental: { requests: number; ms: number },
    ): UploadBenchRow => ({
      releases: size,
      operation,
      incremental,
      naive,
      ratio: { requests: naive.requests / incremental.requests, ms: naive.ms / incremental.ms },
    });
    return [
      row('new release', {
        requests: median(fresh.map((sample) => sample.requests)),
        ms: median(fresh.map((sample) => sample.ms)),
      }),
      row('edit of an old release', edit),
    ];
  } finally {
    await s3.stop();
  }
}

/** A generated release with its date replaced (the generator spreads dates over 2005–2025). */
function generated(index: number, date: string): string {
  return generateRelease(index).text.replace(/^date: .*$/m, `date: ${date}`);
}

/**
 * The archive as it stands before the measured uploads: the sources in the bucket and the
 * pipeline's state derived in one pass (deriveState), all through the S3 API, many requests at a
 * time. Slug claims and the public site are left out: the measured uploads never collide with an
 * existing slug, and every file they render is written whether or not an older copy exists.
 */
async function seed(bucket: S3ObjectStore, size: number): Promise<void> {
  const sources: SourceRelease[] = [];
  const uploads: (() => Promise<void>)[] = [];
  for (let i = 0; i < size; i += 1) {
    const { path, text } = generateRelease(i);
    const key = `releases/${path}`;
    const parsed = parseRelease(path, Buffer.from(text), SITE);
    if (!parsed.ok)
      throw new Error(`generated release ${path} rejected: ${parsed.problem.message}`);
    const sourceEtag = `"${createHash('md5').update(text).digest('hex')}"`;
    sources.push({ key, sourceEtag, release: parsed.release });
    uploads.push(async () => {
      await bucket.put(key, text, { contentType: 'text/markdown; charset=utf-8' });
    });
  }
  await inParallel(uploads);
  const state = deriveState(sources, SITE, NOW);
  for (const key of state.keys()) if (key.startsWith(SLUGS_PREFIX)) state.delete(key);
  await writeState(bucket, state, CONCURRENCY);
}

/**
 * s3rver in a process of its own (with the legacy OpenSSL provider its paged listings need), so
 * the server and the code under test do not share one thread.
 */
export async function startExternalS3rver(): Promise<{
  client: S3Client;
  stop: () => Promise<void>;
}> {
  const directory = await mkdtemp(join(tmpdir(), 'newsroom-bench-s3-'));
  const script = `const S3rver = require(${JSON.stringify(require.resolve('s3rver'))});
new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[1], silent: true })
  .run().then((address) => console.log(address.port));`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', script, directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    credentials: S3RVER_CREDENTIALS,
  });
  return {
    client,
    async stop() {
      client.destroy();
      child.removeAllListeners('exit');
      child.kill();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);

/** What a publisher without state does on every upload. */
async function naiveRebuild(bucket: S3ObjectStore, publicSite: S3ObjectStore): Promise<void> {
  const keys: string[] = [];
  for await (const summary of bucket.list(RELEASES_PREFIX)) {
    if (isReleaseKey(summary.key)) keys.push(summary.key);
  }
  const releases: Release[] = [];
  await inParallel(
    keys.map((key) => async () => {
      const object = await bucket.get(key);
      const parsed = parseRelease(sourcePathOf(key), object?.body ?? new Uint8Array(), SITE);
      if (parsed.ok) releases.push(parsed.release);
    }),
  );
  const { files } = buildSite(releases, SITE, NOW);
  await inParallel(
    files.map((file) => async () => {
      await publicSite.put(file.path, file.body, {
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
    }),
  );
}

async function inParallel(tasks: readonly (() => Promise<void>)[]): Promise<void> {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
}

/** The rows as a markdown table. */
export function uploadTable(rows: readonly UploadBenchRow[]): string {
  return table(
    [
      'releases',
      'operation',
      'incremental requests',
      'incremental ms',
      'full rebuild requests',
      'full rebuild ms',
      'requests ×',
      'time ×',
    ],
    rows.map((row) => [
      row.releases.toLocaleString('en'),
      row.operation,
      row.incremental.requests,
      fixed(row.incremental.ms, 0),
      row.naive.requests.toLocaleString('en'),
      fixed(row.naive.ms, 0),
      fixed(row.ratio.requests, 0),
      fixed(row.ratio.ms, 0),
    ]),
  );
}

const invoked = process.argv[1] ? pathToFileURL(process.argv[1]).href === import.meta.url : false;
if (invoked && process.argv.includes('--child')) {
  const sizes = (process.argv[process.argv.indexOf('--child') + 1] ?? '').split(',').map(Number);
  const rows = await measureAll(sizes.length && sizes.every(Boolean) ? sizes : SIZES);
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else if (invoked) {
  console.log(uploadTable(await benchUpload()));
}
