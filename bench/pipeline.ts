import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../src/adapters/s3-object-store.js';
import { applyBatch } from '../src/pipeline/batch.js';
import { deriveState, type SourceRelease, writeState } from '../src/pipeline/bootstrap.js';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import type { PipelineEvent } from '../src/pipeline/events.js';
import { DISCARD_NOTICES } from '../src/pipeline/notifier.js';
import { RECORDS_PREFIX, recordKey } from '../src/pipeline/state-keys.js';
import { parseRelease } from '../src/release/parse.js';
import { countRequests } from '../tests/support/request-counter.js';
import { generateRelease, BENCH_SITE as SITE } from './generate.js';
import { fixed, table } from './report.js';
import { median } from './stats.js';
import { startExternalS3rver } from './upload.js';

/**
 * The publishing queue's consumer against s3rver in a process of its own:
 * - a burst of uploads drained in batches (10 per batch, the FIFO queue's Lambda batch size, and
 *   everything at once, as the local stack takes what arrived) against one event per batch, the
 *   way the pipeline worked before it was batched;
 * - one upload (a new release, an edit of an old one) into archives of 10,000 and 50,000 releases
 *   published ~3 a day for 9 and 45 years: requests, bytes and CPU must not grow with the archive.
 */

const NOW = new Date('2026-06-01T12:00:00Z');
const PER_DAY = 3;
const DAY_MS = 86_400_000;

/** Release `index` of an archive that goes back in time from just before NOW, 3 a day. */
function archived(index: number): { path: string; text: string } {
  const published = new Date(NOW.getTime() - DAY_MS - Math.floor((index * DAY_MS) / PER_DAY));
  const { text } = generateRelease(index);
  const date = published.toISOString().replace('.000Z', 'Z');
  return {
    path: `${published.getUTCFullYear()}/r-${index}.md`,
    text: text.replace(/^date: .*$/m, `date: ${date}`),
  };
}

/** Request and response bytes an S3 client moved, bodies and headers as sent. */
function countBytes(client: S3Client) {
  let bytes = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      const body = request.body;
      if (typeof body === 'string') bytes += Buffer.byteLength(body);
      else if (body instanceof Uint8Array) bytes += body.byteLength;
      const result = await next(args);
      const response = result.response as { headers?: Record<string, string> };
      bytes += Number(response.headers?.['content-length'] ?? 0);
      return result;
    },
    { step: 'finalizeRequest', name: 'benchByteCounter', override: true },
  );
  return { read: () => bytes, reset: () => (bytes = 0) };
}

interface World {
  deps: PipelineDeps;
  bucket: S3ObjectStore;
  measure: (work: () => Promise<unknown>) => Promise<Sample>;
  stop: () => Promise<void>;
}

/** Requests, bytes, wall time and this process's CPU time of one piece of work. */
export interface Sample {
  requests: number;
  bytes: number;
  ms: number;
  cpuMs: number;
}

async function world(): Promise<World> {
  const s3 = await startExternalS3rver();
  for (const name of ['bench-releases', 'bench-public']) {
    await s3.client.send(new CreateBucketCommand({ Bucket: name }));
  }
  const bucket = new S3ObjectStore(s3.client, 'bench-releases');
  const deps: PipelineDeps = {
    bucket,
    publicSite: new S3ObjectStore(s3.client, 'bench-public'),
    site: SITE,
    clock: () => NOW,
    notifier: DISCARD_NOTICES,
    log: () => {},
  };
  const requests = countRequests(s3.client);
  const bytes = countBytes(s3.client);
  const measure = async (work: () => Promise<unknown>): Promise<Sample> => {
    requests.reset();
    bytes.reset();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const used = process.cpuUsage(cpu);
    return {
      requests: requests.snapshot().total,
      bytes: bytes.read(),
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
    };
  };
  return { deps, bucket, measure, stop: s3.stop };
}

/**
 * The archive's state as the pipeline would hold it (bootstrap's `deriveState`), written through
 * the S3 API. Sources and records of releases the measured uploads never read are left out: an
 * upload reads its own source and record, month documents, windows and the site index only.
 */
async function seed(w: World, size: number, keep: ReadonlySet<number>): Promise<void> {
  const sources: SourceRelease[] = [];
  for (let i = 0; i < size; i += 1) {
    const { path, text } = archived(i);
    const parsed = parseRelease(path, Buffer.from(text), SITE);
    if (!parsed.ok) throw new Error(`generated release ${path} rejected`);
    const sourceEtag = `"${createHash('md5').update(text).digest('hex')}"`;
    sources.push({ key: `releases/${path}`, sourceEtag, release: parsed.release });
    if (keep.has(i)) await w.bucket.put(`releases/${path}`, text);
  }
  const state = deriveState(sources, SITE, NOW);
  const kept = new Set([...keep].map((i) => recordKey(`releases/${archived(i).path}`)));
  for (const key of state.keys()) {
    if (key.startsWith(RECORDS_PREFIX) && !kept.has(key)) state.delete(key);
    if (key.startsWith('state/slugs/')) state.delete(key);
  }
  await writeState(w.bucket, state, 32);
}

/** One row of the per-upload table. */
export interface UploadCostRow {
  releases: number;
  operation: 'new release' | 'edit of an old release';
  sample: Sample;
}

async function uploadCost(size: number): Promise<UploadCostRow[]> {
  const w = await world();
  try {
    const old = Math.floor(size * 0.8);
    await seed(w, size, new Set([old]));
    const upload = async (key: string, text: string) => {
      await w.bucket.put(key, text);
      return w.measure(() => applyBatch(w.deps, [{ kind: 'object', key }]));
    };
    const fresh = (i: number) =>
      generateRelease(size + i).text.replace(/^date: .*$/m, `date: 2026-05-2${i}T09:00:00Z`);
    await upload('releases/2026/lammittely.md', fresh(9)); // warm-up, not measured
    const news: Sample[] = [];
    for (let i = 0; i < 3; i += 1) news.push(await upload(`releases/2026/uusi-${i}.md`, fresh(i)));
    const { path, text } = archived(old);
    const edits: Sample[] = [];
    for (let i = 0; i < 3; i += 1) {
      edits.push(
        await upload(`releases/${path}`, text.replace('title: "', `title: "Korjattu ${i}: `)),
      );
    }
    return [
      { releases: size, operation: 'new release', sample: medianSample(news) },
      { releases: size, operation: 'edit of an old release', sample: medianSample(edits) },
    ];
  } finally {
    await w.stop();
  }
}

/** One row of the burst table. */
export interface BurstRow {
  uploads: number;
  way: string;
  batches: number;
  sample: Sample;
}

async function burst(uploads: number, batchSize: number, way: string): Promise<BurstRow> {
  const w = await world();
  try {
    await seed(w, 1_000, new Set());
    const keys = Array.from({ length: uploads }, (_, i) => `releases/2026/purske-${i}.md`);
    for (const [i, key] of keys.entries()) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await w.bucket.put(
        key,
        generateRelease(5_000 + i).text.replace(/^date: .*$/m, `date: 2026-05-${day}T09:00:00Z`),
      );
    }
    const events: PipelineEvent[] = keys.map((key) => ({ kind: 'object', key }));
    let batches = 0;
    const sample = await w.measure(async () => {
      for (let i = 0; i < events.length; i += batchSize) {
        await applyBatch(w.deps, events.slice(i, i + batchSize));
        batches += 1;
      }
    });
    return { uploads, way, batches, sample };
  } finally {
    await w.stop();
  }
}

function medianSample(samples: readonly Sample[]): Sample {
  return {
    requests: median(samples.map((s) => s.requests)),
    bytes: median(samples.map((s) => s.bytes)),
    ms: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
  };
}

/** Every measurement of this file. */
export async function benchPipeline(sizes = [10_000, 50_000], bursts = [200, 1_000]) {
  const burstRows: BurstRow[] = [];
  for (const uploads of bursts) {
    burstRows.push(await burst(uploads, uploads, 'one batch (local stack)'));
    burstRows.push(await burst(uploads, 10, 'batches of 10 (SQS FIFO)'));
    burstRows.push(await burst(uploads, 1, 'one event per batch (before)'));
  }
  const uploadRows: UploadCostRow[] = [];
  for (const size of sizes) uploadRows.push(...(await uploadCost(size)));
  return { burstRows, uploadRows };
}

/** The burst rows as a markdown table. */
export function burstTable(rows: readonly BurstRow[]): string {
  return table(
    [
      'uploads',
      'consumer',
      'batches',
      'drain s',
      'requests / release',
      'KB / release',
      'CPU ms / release',
    ],
    rows.map((row) => [
      row.uploads.toLocaleString('en'),
      row.way,
      row.batches,
      fixed(row.sample.ms / 1000, 1),
      fixed(row.sample.requests / row.uploads, 1),
      fixed(row.sample.bytes / 1024 / row.uploads, 1),
      fixed(row.sample.cpuMs / row.uploads, 1),
    ]),
  );
}

/** The per-upload rows as a markdown table. */
export function uploadCostTable(rows: readonly UploadCostRow[]): string {
  return table(
    ['releases', 'operation', 'requests', 'KB moved', 'CPU ms', 'wall ms'],
    rows.map((row) => [
      row.releases.toLocaleString('en'),
      row.operation,
      row.sample.requests,
      fixed(row.sample.bytes / 1024, 1),
      fixed(row.sample.cpuMs, 0),
      fixed(row.sample.ms, 0),
    ]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv[2]?.split(',').map(Number);
  const bursts = process.argv[3]?.split(',').map(Number);
  const { burstRows, uploadRows } = await benchPipeline(sizes, bursts);
  process.stdout.write(`${burstTable(burstRows)}\n\n${uploadCostTable(uploadRows)}\n`);
}
