import { expect } from 'vitest';
import type { HeadCapable } from '../../src/adapters/head.js';
import { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import type { PipelineDeps } from '../../src/pipeline/deps.js';
import { publishReleaseHandler } from '../../src/pipeline/handlers.js';
import type { PipelineNotice } from '../../src/pipeline/notifier.js';
import { rejectionReportSchema } from '../../src/pipeline/notifier.js';
import { releaseRecordSchema } from '../../src/pipeline/records.js';
import { reportKey } from '../../src/pipeline/reports.js';
import { isReleaseKey, RELEASES_PREFIX, sourcePathOf } from '../../src/pipeline/s3-event.js';
import { recordKey } from '../../src/pipeline/state-keys.js';
import { isArchiveImport } from '../../src/release/newness.js';
import { parseRelease } from '../../src/release/parse.js';
import { readDocument } from '../../src/shared/document-store.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { releasePagePath } from '../../src/site/slugs.js';
import {
  expectMatchesFullBuild,
  releaseText,
  SITE,
  s3Record,
  TestClock,
} from '../pipeline/harness.js';
import { ConditionEnforcingStore } from '../support/condition-enforcing-store.js';
import { ConditionalStore } from '../support/conditional-store.js';
import {
  type CrashSwitch,
  crashingStore,
  type FaultPlan,
  faultyS3Client,
  faultyStore,
  type HttpRequestLike,
  S3rverFolderGuard,
  type StoreOperation,
} from '../support/faults.js';
import type { LocalS3 } from '../support/s3.js';

/** An S3 notification event with one record, as the publish-release function receives it. */
export type S3EventLike = { Records: ReturnType<typeof s3Record>[] };

/** What staff do to the releases bucket. */
export type StaffOp =
  | { kind: 'put'; key: string; text: string; label: string }
  | { kind: 'delete'; key: string; label: string };

/** Keys staff work on: several years, categories and languages, spaces and umlauts. */
const KEYS = [
  'releases/2025/uimahalli.md',
  'releases/2025/kirjasto.md',
  'releases/2024/tori avautuu.md',
  'releases/sv/simhallen.md',
  'releases/blogi/kesä ja ä.md',
  'releases/2025/katutyöt.md',
] as const;

/**
 * A seeded sequence of staff actions: new releases, edits that move a release to another year or
 * category, broken uploads (rejected), embargoed ones, deletions.
 */
export function staffOps(plan: FaultPlan, steps: number): StaffOp[] {
  const live = new Set<string>();
  const ops: StaffOp[] = [];
  for (let step = 1; step <= steps; step += 1) {
    const key = plan.pick(KEYS);
    const roll = plan.random();
    if (live.has(key) && roll < 0.2) {
      live.delete(key);
      ops.push({ kind: 'delete', key, label: `delete ${key}` });
      continue;
    }
    live.add(key);
    if (roll > 0.9) {
      ops.push({
        kind: 'put',
        key,
        text: '---\ntitle: Rikki\ndate: 31.2.2025 10:00\n---\n\nTeksti.\n',
        label: `broken ${key}`,
      });
      continue;
    }
    const sv = key.startsWith('releases/sv/');
    const year = roll > 0.85 ? 2026 : plan.pick([2024, 2025]);
    // 2026-03 is after the test clock (2026-01-15): an embargoed release.
    const month = year === 2026 ? '03' : String(plan.int(1, 12)).padStart(2, '0');
    const date = `${year}-${month}-${String(plan.int(10, 28))} ${plan.int(8, 17)}:00`;
    const fields: Record<string, string> = {
      type: key.startsWith('releases/blogi/') || plan.random() < 0.2 ? 'Blogi' : 'Tiedote',
      ...(sv ? { lang: 'sv', type: 'Pressmeddelande' } : {}),
      ...translationOf(key, plan),
    };
    const title = `${key.slice(RELEASES_PREFIX.length, -3)} (${step})`;
    ops.push({ kind: 'put', key, text: releaseText(title, date, fields), label: `put ${key}` });
  }
  return ops;
}

/**
 * Translation pairs: the Finnish and Swedish swimming-hall releases are usually one release in two
 * languages, sometimes linked to another key (a version moving between groups), and `kirjasto`
 * sometimes joins the pair as a second Finnish version (the newest per language is linked).
 */
function translationOf(key: string, plan: FaultPlan): Record<string, string> {
  const paired = [
    'releases/2025/uimahalli.md',
    'releases/sv/simhallen.md',
    'releases/2025/kirjasto.md',
  ];
  if (!paired.includes(key)) return {};
  const roll = plan.random();
  if (key === 'releases/2025/kirjasto.md') return roll < 0.3 ? { translation_key: 'halli' } : {};
  return { translation_key: roll < 0.8 ? 'halli' : 'halli-vanha' };
}

/** Options of {@link pipelineWorld}. */
export interface WorldOptions {
  /** S3 faults for the pipeline's own requests (staff uploads and deletes are spared). */
  faults?: FaultPlan;
}

/** The two buckets of a world: as the pipeline sees them, and `clean` (no faults) for checks. */
interface WorldBuckets {
  releasesBucket: string;
  bucket: ObjectStore & HeadCapable;
  publicSite: ObjectStore & HeadCapable;
  clean: { bucket: ObjectStore; publicSite: ObjectStore };
}

/** Two in-memory buckets that enforce conditions as S3 does, faults injected at the store. */
function memoryBuckets(options: WorldOptions): WorldBuckets {
  const releasesBucket = 'releases-memory';
  const clean = { bucket: new ConditionalStore(), publicSite: new ConditionalStore() };
  const plan = options.faults;
  if (plan === undefined) return { releasesBucket, ...clean, clean };
  const isStaffWrite = (operation: StoreOperation, key: string) =>
    (operation === 'put' || operation === 'delete') && key.startsWith(RELEASES_PREFIX);
  return {
    releasesBucket,
    bucket: faultyStore(clean.bucket, releasesBucket, plan, isStaffWrite),
    publicSite: faultyStore(clean.publicSite, 'public-memory', plan),
    clean,
  };
}

/**
 * Two fresh buckets on s3rver, the way the local stack wires them (conditions enforced
 * in-process by one {@link ConditionEnforcingStore} per bucket, which stands for S3 itself),
 * faults injected in the S3 client's HTTP handler as S3's own XML error answers.
 */
async function s3rverBuckets(s3: LocalS3, options: WorldOptions): Promise<WorldBuckets> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const releasesBucket = `releases-${suffix}`;
  const publicBucket = `public-${suffix}`;
  await s3.createBucket(releasesBucket);
  await s3.createBucket(publicBucket);
  const isStaffWrite = (request: HttpRequestLike) =>
    request.method !== 'GET' &&
    request.method !== 'HEAD' &&
    request.path.startsWith(`/${releasesBucket}/releases/`);
  const client = options.faults
    ? faultyS3Client(s3.endpoint, options.faults, isStaffWrite)
    : s3.client;
  const bucket = new ConditionEnforcingStore(
    new S3rverFolderGuard(new S3ObjectStore(client, releasesBucket)),
  );
  // Public writes are unconditional; the wrapper only keeps s3rver's reads and writes atomic.
  const publicSite = new ConditionEnforcingStore(
    new S3rverFolderGuard(new S3ObjectStore(client, publicBucket)),
  );
  const clean = {
    bucket: new S3ObjectStore(s3.client, releasesBucket),
    publicSite: new S3ObjectStore(s3.client, publicBucket),
  };
  return { releasesBucket, bucket, publicSite, clean };
}

/**
 * The publish-release function over two fresh buckets: on s3rver when `s3` is given (faults as
 * S3's HTTP answers), else in memory ({@link ConditionalStore}, which the object-store contract
 * suite holds to s3rver's behaviour; faults at the store) — the logic under test is the same.
 */
export async function pipelineWorld(s3: LocalS3 | undefined, options: WorldOptions = {}) {
  const { releasesBucket, bucket, publicSite, clean } = s3
    ? await s3rverBuckets(s3, options)
    : memoryBuckets(options);
  const clock = new TestClock(new Date('2026-01-15T12:00:00Z'));
  const notices: PipelineNotice[] = [];

  /** The pipeline's ports as one process sees them; with `crash`, that process dies on cue. */
  const deps = (crash?: CrashSwitch): PipelineDeps => ({
    bucket: crash ? crashingStore(bucket, crash) : bucket,
    publicSite: crash ? crashingStore(publicSite, crash) : publicSite,
    site: SITE,
    clock: clock.read,
    notifier: {
      async notify(notice) {
        // Putting a notice on the queue is a request like any other.
        crash?.tick();
        notices.push(notice);
      },
    },
    staffEmail: 'viestinta@example.fi',
    log: () => {},
  });

  return {
    releasesBucket,
    bucket,
    publicSite,
    clean,
    clock,
    notices,
    deps,
    /** The publish-release handler of one process. */
    handler: (crash?: CrashSwitch) => publishReleaseHandler(deps(crash)),

    /** Applies a staff action to the bucket and returns the event S3 would send for it. */
    async staff(op: StaffOp): Promise<S3EventLike> {
      if (op.kind === 'put') {
        await bucket.put(op.key, op.text, { contentType: 'text/markdown; charset=utf-8' });
        return { Records: [s3Record(releasesBucket, op.key, 'created')] };
      }
      await bucket.delete(op.key);
      return { Records: [s3Record(releasesBucket, op.key, 'removed')] };
    },

    /**
     * Checks the outcome against the oracle and counts what was lost: the public bucket equals a
     * clean full build of the releases in the bucket, byte for byte, nothing extra, nothing
     * missing; every public release was announced; every rejected upload has its report.
     * Returns the number of releases lost (missing page or announcement).
     */
    async verify(): Promise<number> {
      const now = clock.read();
      const publicKeys = new Set<string>();
      for await (const summary of clean.publicSite.list('')) publicKeys.add(summary.key);
      const announced = new Set(
        notices.flatMap((notice) =>
          notice.type === 'release-published' ? [notice.releaseId] : [],
        ),
      );
      let lost = 0;
      const rejected = new Set<string>();
      for await (const summary of clean.bucket.list(RELEASES_PREFIX)) {
        if (!isReleaseKey(summary.key)) continue;
        const source = await clean.bucket.get(summary.key);
        const parsed = parseRelease(
          sourcePathOf(summary.key),
          source?.body ?? new Uint8Array(),
          SITE,
        );
        const report = await readDocument(
          clean.bucket,
          reportKey(summary.key),
          rejectionReportSchema,
        );
        if (!parsed.ok) {
          expect(report?.value.problem, `report for ${summary.key}`).toBe(parsed.problem.message);
          rejected.add(reportKey(summary.key));
          continue;
        }
        expect(report, `stale report for ${summary.key}`).toBeUndefined();
        if (parsed.release.published.getTime() > now.getTime()) continue;
        const record = await readDocument(
          clean.bucket,
          recordKey(summary.key),
          releaseRecordSchema,
        );
        const page = record?.value.slug ? releasePagePath(record.value.slug) : undefined;
        const firstPublishedAt = record?.value.release?.firstPublishedAt;
        // An archive import is on the site but announced to nobody; its record says it is done.
        const quiet =
          firstPublishedAt !== undefined &&
          isArchiveImport(parsed.release, new Date(firstPublishedAt), SITE.notifyMaxAgeMs);
        const told = quiet ? record?.value.announced === true : announced.has(parsed.release.id);
        if (page === undefined || !publicKeys.has(page) || !told) lost += 1;
      }
      // Reports of files since fixed or deleted are gone.
      expect(await keysUnder(clean.bucket, 'reports/')).toEqual([...rejected].sort());
      await expectMatchesFullBuild({ ...clean, deps: deps() }, now);
      linkedAtVerify.push(await linkedPages(clean.publicSite));
      return lost;
    },
  };
}

/**
 * How many release pages linked a translation at each `verify` of this process: the suites check
 * that the seeds reach linked pairs (the oracle would pass vacuously without any).
 */
export const linkedAtVerify: number[] = [];

async function linkedPages(publicSite: ObjectStore): Promise<number> {
  let linked = 0;
  for await (const summary of publicSite.list('releases/')) {
    const page = await publicSite.get(summary.key);
    if (new TextDecoder().decode(page?.body).includes('class="translations"')) linked += 1;
  }
  return linked;
}

/** A world as returned by {@link pipelineWorld}. */
export type PipelineWorld = Awaited<ReturnType<typeof pipelineWorld>>;

/** Every object under `prefix` of `store`, as keys. */
export async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const summary of store.list(prefix)) keys.push(summary.key);
  return keys;
}
