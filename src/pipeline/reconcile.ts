import {
  DRAFT_REPORTS_PREFIX,
  type DraftsReconcileReport,
  reconcileDrafts,
} from '../drafts/reconcile.js';
import { inScope } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import {
  BatchDocuments,
  type DocumentSchema,
  readDocument,
  type Versioned,
} from '../shared/document-store.js';
import type { ObjectStore, ObjectSummary } from '../shared/ports.js';
import { buildSite } from '../site/build.js';
import { applyBatch, deriveContext } from './batch.js';
import { jsonLogger, type PipelineDeps } from './deps.js';
import type { DeriveContext } from './derive.js';
import { embargoDocSchema, isPublicAt } from './embargo.js';
import { monthDocSchema, monthIn, toArchiveRelease } from './months.js';
import { md5Etag, type WriteOutcome } from './outputs.js';
import { findMediaDrift, repairMediaIndex, repairPublicMedia } from './reconcile-media.js';
import {
  type Placement,
  parseFingerprint,
  type ReleaseRecord,
  releaseRecordSchema,
} from './records.js';
import { REPORTS_PREFIX, reportKey } from './reports.js';
import { isReleaseKey, RELEASES_PREFIX } from './s3-event.js';
import { emptySiteIndex, indexWith, siteIndexDocSchema } from './site-index.js';
import { slugClaimSchema } from './slugs.js';
import {
  EMBARGO_KEY,
  MONTHS_PREFIX,
  RECORDS_PREFIX,
  recordKey,
  SITE_INDEX_KEY,
  SLUGS_PREFIX,
  TRANSLATIONS_PREFIX,
  WINDOWS_PREFIX,
  WITHDRAWN_PREFIX,
} from './state-keys.js';
import { compareStoredNewestFirst, loadRelease, type StoredRelease } from './stored-release.js';
import {
  groupsOfVisible,
  type TranslationGroupDoc,
  translationGroupDocSchema,
  translationGroupKey,
} from './translations.js';
import { announceFeeds } from './websub.js';
import { type ScopeRef, scopesOf, type WindowDoc, windowDocSchema, windowKey } from './windows.js';
import { loadWithdrawal, withdrawnDocSchema } from './withdrawn.js';

/** What a reconcile run found and did. */
export interface ReconcileReport {
  sources: number;
  records: number;
  /** Keys synced again, with the reason. */
  resynced: { key: string; reason: string }[];
  /** State keys of windows rebuilt from the archive. */
  windowsRebuilt: string[];
  siteIndexRebuilt: boolean;
  /** Slug claims nobody owned any more, removed. */
  orphanClaims: string[];
  /** Rejection reports whose rejection is over (the file was fixed or deleted), removed. */
  staleReports: string[];
  /** Media index documents (`state/media/`) rewritten or removed to match the records. */
  mediaIndexRepaired: string[];
  /** Translation groups (`state/translations/`) rewritten or removed to match the records. */
  translationGroupsRepaired: string[];
  /** Public files (media included) rewritten or removed because they differed from a full build. */
  publicFiles: Omit<WriteOutcome, 'unchanged'>;
  /** Draft previews rendered again or removed (src/drafts/reconcile.ts). */
  drafts: DraftsReconcileReport;
}

/** Reconcile finished its repairs but some keys failed; the next run tries again. */
class ReconcileError extends AggregateError {
  override readonly name = 'ReconcileError';
}

/** Public paths a full build owns; anything else in the public bucket is left alone. */
const OWNED_PUBLIC = [
  'feeds/',
  'releases/',
  'archive/',
  'sitemaps/',
  'index.html',
  'sitemap.xml',
  '404.html',
  'theme.css',
  'favicon.svg',
];
const READ_CONCURRENCY = 16;

type Records = Map<string, Versioned<ReleaseRecord>>;

/** Keys to apply again, with why and where in the state they were found astray. */
type Resync = Map<string, { reason: string; placements: Placement[] }>;

/**
 * Compares the state with the bucket and repairs any drift, the nightly safety net behind the
 * event path. It runs as the queue's consumer (a `reconcile` request), so nothing changes under
 * it: releases whose source changed or vanished without an event (or whose record was lost) and
 * keys found astray in month documents or the embargo list are applied again as one batch; stale
 * reports, windows, the site index and slug claims are checked against the records; finally
 * every public file is compared with a full build of the recorded releases and fixed where it
 * differs; draft previews are brought in line with `drafts/` ({@link reconcileDrafts}). Costs O(archive) requests, which is why it runs on a schedule and never per upload.
 */
export async function reconcile(deps: PipelineDeps): Promise<ReconcileReport> {
  const now = deps.clock();
  const sources = new Map<string, string>();
  const media = new Map<string, ObjectSummary>();
  for await (const summary of deps.bucket.list(RELEASES_PREFIX)) {
    if (isReleaseKey(summary.key)) sources.set(summary.key, summary.etag);
    else media.set(summary.key, summary);
  }
  const reports = new Set<string>();
  for await (const summary of deps.bucket.list(REPORTS_PREFIX)) {
    // Reports on drafts are the drafts' own (no record): reconcileDrafts keeps them right.
    if (!summary.key.startsWith(DRAFT_REPORTS_PREFIX)) reports.add(summary.key);
  }
  const before = await readRecords(deps.bucket);
  const mediaIndexRepaired = await repairMediaIndex(deps.bucket, before);
  const resync = findDrift(deps, sources, before, reports, now);
  await findStrays(deps, before, now, resync);
  for (const key of findMediaDrift(before, media)) {
    resync.set(key, { reason: 'media file changed', placements: [] });
  }
  let failure: unknown;
  if (resync.size > 0) {
    const events = [...resync].map(([key, { placements }]) => ({
      kind: 'object' as const,
      key,
      placements,
    }));
    await applyBatch(deps, events).catch((error: unknown) => {
      failure = error;
    });
  }
  const records = resync.size > 0 ? await readRecords(deps.bucket, before) : before;
  const { groups, linked } = groupsOfVisible(visibleReleases(records, now));
  const repaired = await repairWindowsAndIndex(deps, deriveContext(deps, now), linked);
  const translationGroupsRepaired = await repairTranslationGroups(deps.bucket, groups);
  const report: ReconcileReport = {
    sources: sources.size,
    records: records.size,
    resynced: [...resync].map(([key, { reason }]) => ({ key, reason })),
    windowsRebuilt: repaired.windows,
    siteIndexRebuilt: repaired.siteIndex,
    staleReports: await removeStaleReports(deps, reports, records),
    orphanClaims: await removeOrphanClaims(deps, records),
    mediaIndexRepaired,
    translationGroupsRepaired,
    publicFiles: mergeOutcomes(
      await repairPublic(deps, now, records),
      await repairPublicMedia(deps.bucket, deps.publicSite, records, media, now),
    ),
    drafts: await reconcileDrafts(deps),
  };
  await announceFeeds(deps, report.publicFiles.written, deps.log ?? jsonLogger);
  logReport(deps, report);
  if (failure !== undefined) {
    throw new ReconcileError([failure], `${resync.size} keys could not be synced`);
  }
  return report;
}

/** The records' releases that are public at `now`, by source key. */
function visibleReleases(records: Records, now: Date): Map<string, StoredRelease> {
  const visible = new Map<string, StoredRelease>();
  for (const [key, { value }] of records) {
    if (value.release && isPublicAt(value.release, now)) visible.set(key, value.release);
  }
  return visible;
}

/** Rewrites translation groups that differ from the public releases' and removes stray ones. */
async function repairTranslationGroups(
  store: ObjectStore,
  groups: ReadonlyMap<string, TranslationGroupDoc>,
): Promise<string[]> {
  const expected = new Map(
    [...groups.values()].map((group) => [translationGroupKey(group.translationKey), group]),
  );
  const stored = await readAll(store, TRANSLATIONS_PREFIX, translationGroupDocSchema);
  const repaired: string[] = [];
  const docs = new BatchDocuments(store);
  for (const [key, group] of expected) {
    if (JSON.stringify(stored.get(key)?.value) === JSON.stringify(group)) continue;
    docs.set(key, group);
    repaired.push(key);
  }
  await docs.flush();
  for (const [key, { value }] of stored) {
    // A group the pipeline emptied stays as an empty document: that is no drift.
    if (expected.has(key) || value.entries.length === 0) continue;
    await store.delete(key);
    repaired.push(key);
  }
  return repaired.sort();
}

/** Sources and records that disagree, and records with work left undone. */
function findDrift(
  deps: PipelineDeps,
  sources: ReadonlyMap<string, string>,
  records: Records,
  reports: ReadonlySet<string>,
  now: Date,
): Resync {
  const fingerprint = parseFingerprint(deps.site);
  const drift: Resync = new Map();
  const add = (key: string, reason: string) => drift.set(key, { reason, placements: [] });
  for (const [key, etag] of sources) {
    const record = records.get(key)?.value;
    if (record === undefined) add(key, 'no record');
    else if (record.sourceEtag !== etag) add(key, 'source changed without an event');
    else if (record.parsedWith !== fingerprint) add(key, 'site settings changed');
    else if (record.rejected && !reports.has(reportKey(key))) add(key, 'rejection report missing');
  }
  for (const [key, { value: record }] of records) {
    if (!sources.has(key) && (record.sourceEtag !== undefined || record.release)) {
      add(key, 'source gone without an event');
    } else if (record.lingering.length > 0 || (!record.release && record.slug)) {
      add(key, 'unfinished sync');
    } else if (record.pendingOutcome !== undefined) {
      add(key, 'staff not told');
    } else if (record.release && isPublicAt(record.release, now) && !record.announced) {
      add(key, 'due or unannounced');
    }
  }
  return drift;
}

/** Adds to `resync` the keys that month documents or the embargo list hold wrongly. */
async function findStrays(
  deps: PipelineDeps,
  records: Records,
  now: Date,
  resync: Resync,
): Promise<void> {
  const stray = (key: string, placement?: Placement) => {
    const entry = resync.get(key) ?? { reason: 'misplaced in state', placements: [] };
    if (placement) entry.placements.push(placement);
    resync.set(key, entry);
  };
  const { linked } = groupsOfVisible(visibleReleases(records, now));
  const visible = (key: string) => linked.get(key);
  const seenInMonths = new Set<string>();
  for (const { value: doc } of (
    await readAll(deps.bucket, MONTHS_PREFIX, monthDocSchema)
  ).values()) {
    for (const entry of doc.entries) {
      seenInMonths.add(entry.key);
      const release = visible(entry.key);
      const right =
        release !== undefined &&
        monthIn(release.published, deps.site.timeZone) === doc.month &&
        JSON.stringify(toArchiveRelease(release)) === JSON.stringify(entry.release);
      const { categorySlug, lang, translationKey } = entry.release;
      const group = translationKey === undefined ? {} : { translationKey };
      if (!right) stray(entry.key, { month: doc.month, categorySlug, lang, ...group });
    }
  }
  for (const key of records.keys()) if (visible(key) && !seenInMonths.has(key)) stray(key);
  const embargo = (await readDocument(deps.bucket, EMBARGO_KEY, embargoDocSchema))?.value;
  const embargoed = new Set(embargo?.entries.map((entry) => entry.key));
  for (const [key, { value }] of records) {
    const shouldWait = value.release !== undefined && !isPublicAt(value.release, now);
    if (shouldWait !== embargoed.has(key)) stray(key);
    embargoed.delete(key);
  }
  for (const key of embargoed) stray(key);
}

/** Reports outliving their rejection (a batch failed between the fixed record and the delete). */
async function removeStaleReports(
  deps: PipelineDeps,
  reports: ReadonlySet<string>,
  records: Records,
): Promise<string[]> {
  const stale: string[] = [];
  for (const key of reports) {
    const source = key.slice(REPORTS_PREFIX.length, -'.json'.length);
    if (records.get(source)?.value.rejected) continue;
    await deps.bucket.delete(key);
    stale.push(key);
  }
  return stale;
}

/** Slug claims whose key no longer owns the slug. */
async function removeOrphanClaims(deps: PipelineDeps, records: Records): Promise<string[]> {
  const orphans: string[] = [];
  for (const [claimKey, { value: claim }] of await readAll(
    deps.bucket,
    SLUGS_PREFIX,
    slugClaimSchema,
  )) {
    const slug = claimKey.slice(SLUGS_PREFIX.length).replace(/\.json$/, '');
    if (records.get(claim.key)?.value.slug !== slug) {
      await deps.bucket.delete(claimKey);
      orphans.push(slug);
    }
  }
  return orphans;
}

function logReport(deps: PipelineDeps, report: ReconcileReport): void {
  (deps.log ?? jsonLogger)('reconciled', {
    sources: report.sources,
    records: report.records,
    resynced: report.resynced.length,
    windowsRebuilt: report.windowsRebuilt.length,
    siteIndexRebuilt: report.siteIndexRebuilt,
    orphanClaims: report.orphanClaims.length,
    staleReports: report.staleReports.length,
    publicWritten: report.publicFiles.written.length,
    publicDeleted: report.publicFiles.deleted.length,
    draftsRendered: report.drafts.rendered.length,
    draftPreviewsRemoved: report.drafts.removedPreviews.length,
  });
}

/**
 * Rewrites every window that is not the right prefix of its scope, and the site index if it
 * differs from what the month documents and windows say, straight from the visible releases.
 */
async function repairWindowsAndIndex(
  deps: PipelineDeps,
  ctx: DeriveContext,
  visible: ReadonlyMap<string, StoredRelease>,
): Promise<{ windows: string[]; siteIndex: boolean }> {
  const byScope = new Map<string, { scope: ScopeRef; releases: [string, StoredRelease][] }>([
    [windowKey({ kind: 'all' }), { scope: { kind: 'all' }, releases: [] }],
  ]);
  for (const [key, release] of visible) {
    for (const scope of scopesOf(release)) {
      const group = byScope.get(windowKey(scope)) ?? { scope, releases: [] };
      group.releases.push([key, release]);
      byScope.set(windowKey(scope), group);
    }
  }
  const stored = await readAll(deps.bucket, WINDOWS_PREFIX, windowDocSchema);
  for (const { value } of stored.values()) {
    if (!byScope.has(windowKey(value.scope))) {
      byScope.set(windowKey(value.scope), { scope: value.scope, releases: [] });
    }
  }
  const docs = new BatchDocuments(deps.bucket);
  const rebuilt: string[] = [];
  const windows: WindowDoc[] = [];
  for (const [id, { scope, releases }] of byScope) {
    const expected = releases.sort((a, b) => compareStoredNewestFirst(a[1], b[1]));
    const current = stored.get(id)?.value;
    const right = current ?? { version: 1 as const, scope, exhaustive: true, entries: [] };
    if (current === undefined && expected.length === 0) continue;
    if (current === undefined || !isRightWindow(current, expected, ctx, scope)) {
      const capacity = ctx.capacity(scope);
      const entries = expected.slice(0, capacity).map(([key, release]) => ({ key, release }));
      const window = {
        version: 1 as const,
        scope,
        exhaustive: expected.length <= capacity,
        entries,
      };
      docs.set(id, window);
      windows.push(window);
      rebuilt.push(id);
    } else windows.push(right);
  }
  const months = [...(await readAll(deps.bucket, MONTHS_PREFIX, monthDocSchema)).values()];
  const expectedIndex = indexWith(
    emptySiteIndex(),
    windows,
    months.map((doc) => doc.value),
  );
  const index = await docs.get(SITE_INDEX_KEY, siteIndexDocSchema);
  const indexWrong = JSON.stringify(index) !== JSON.stringify(expectedIndex);
  if (indexWrong) docs.set(SITE_INDEX_KEY, expectedIndex);
  await docs.flush();
  return { windows: rebuilt, siteIndex: indexWrong };
}

/**
 * Whether a stored window is right: entries equal to the first entries of the scope's releases
 * (same keys, same data), as many as a feed shows (or all there are), and `exhaustive` exactly
 * when it holds them all.
 */
function isRightWindow(
  window: WindowDoc,
  expected: readonly [string, StoredRelease][],
  ctx: DeriveContext,
  scope: ScopeRef,
): boolean {
  const n = window.entries.length;
  if (n > ctx.capacity(scope) || n < Math.min(ctx.shown(scope), expected.length)) return false;
  if (window.exhaustive !== (n === expected.length)) return false;
  return window.entries.every((entry, i) => {
    const [key, release] = expected[i] ?? [];
    return (
      entry.key === key &&
      inScope(scope, entry.release) &&
      JSON.stringify(entry.release) === JSON.stringify(release)
    );
  });
}

/**
 * Writes whatever differs from a full build of the recorded releases and removes owned files the
 * build does not produce.
 */
async function repairPublic(
  deps: PipelineDeps,
  now: Date,
  records: Records,
): Promise<Omit<WriteOutcome, 'unchanged'>> {
  const releases: Release[] = [];
  for (const { value } of records.values()) {
    if (value.release) releases.push(loadRelease(value.release));
  }
  const withdrawals = [
    ...(await readAll(deps.bucket, WITHDRAWN_PREFIX, withdrawnDocSchema)).values(),
  ];
  const { files } = buildSite(
    releases,
    deps.site,
    now,
    withdrawals.map(({ value }) => loadWithdrawal(value)),
  );
  const current = new Map<string, string>();
  for (const prefix of OWNED_PUBLIC) {
    for await (const summary of deps.publicSite.list(prefix)) {
      if (OWNED_PUBLIC.some((owned) => summary.key.startsWith(owned))) {
        current.set(summary.key, summary.etag);
      }
    }
  }
  const built = new Set(files.map((file) => file.path));
  const written: string[] = [];
  const deleted: string[] = [];
  await inParallel(files, async (file) => {
    if (current.get(file.path) === md5Etag(file.body)) return;
    await deps.publicSite.put(file.path, file.body, {
      contentType: file.contentType,
      cacheControl: file.cacheControl,
    });
    written.push(file.path);
  });
  await inParallel([...current.keys()], async (path) => {
    if (built.has(path)) return;
    await deps.publicSite.delete(path);
    deleted.push(path);
  });
  return { written: written.sort(), deleted: deleted.sort() };
}

function mergeOutcomes(
  a: Omit<WriteOutcome, 'unchanged'>,
  b: Omit<WriteOutcome, 'unchanged'>,
): Omit<WriteOutcome, 'unchanged'> {
  return { written: [...a.written, ...b.written], deleted: [...a.deleted, ...b.deleted] };
}

/**
 * Every release record by source key. With `known`, records whose ETag (from the listing) did not
 * change are taken from it instead of being read again.
 */
async function readRecords(
  store: ObjectStore,
  known?: Map<string, Versioned<ReleaseRecord>>,
): Promise<Map<string, Versioned<ReleaseRecord>>> {
  const byStateKey = new Map<string, Versioned<ReleaseRecord>>();
  for (const entry of known?.values() ?? []) byStateKey.set(recordKey(entry.value.key), entry);
  const docs = await readAll(store, RECORDS_PREFIX, releaseRecordSchema, byStateKey);
  return new Map([...docs.values()].map((doc) => [doc.value.key, doc]));
}

/** Reads every JSON document under `prefix` (reusing `known` ones whose ETag is unchanged). */
async function readAll<T>(
  store: ObjectStore,
  prefix: string,
  schema: DocumentSchema<T>,
  known?: Map<string, Versioned<T>>,
): Promise<Map<string, Versioned<T>>> {
  const summaries = [];
  for await (const summary of store.list(prefix)) summaries.push(summary);
  const docs = new Map<string, Versioned<T>>();
  await inParallel(summaries, async (summary) => {
    const cached = known?.get(summary.key);
    if (cached && cached.etag === summary.etag) {
      docs.set(summary.key, cached);
      return;
    }
    const doc = await readDocument(store, summary.key, schema);
    if (doc) docs.set(summary.key, doc);
  });
  return new Map([...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}
