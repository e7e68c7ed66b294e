import { inScope } from '../feeds/scopes.js';
import type { Release } from '../release/types.js';
import type { ObjectStore } from '../shared/ports.js';
import { buildSite } from '../site/build.js';
import { type DeriveContext, rebuildWindow, updateSiteIndex } from './derive.js';
import { type EmbargoDoc, isPublicAt } from './embargo.js';
import { md5Etag, type WriteOutcome } from './outputs.js';
import { type Placement, parseFingerprint, type ReleaseRecord } from './records.js';
import { REPORTS_PREFIX, reportKey } from './reports.js';
import { isReleaseKey, RELEASES_PREFIX } from './s3-event.js';
import { emptySiteIndex, indexWith, type SiteIndexDoc } from './site-index.js';
import type { SlugClaim } from './slugs.js';
import {
  EMBARGO_KEY,
  RECORDS_PREFIX,
  recordKey,
  SITE_INDEX_KEY,
  SLUGS_PREFIX,
  WINDOWS_PREFIX,
  YEARS_PREFIX,
} from './state-keys.js';
import { readDocument, type Versioned } from './state-store.js';
import { compareStoredNewestFirst, loadRelease, type StoredRelease } from './stored-release.js';
import { deriveContext, jsonLogger, type PipelineDeps, syncRelease } from './sync.js';
import { announceFeeds } from './websub.js';
import { type ScopeRef, scopesOf, type WindowDoc, windowKey } from './windows.js';
import { emptyYear, toArchiveRelease, type YearDoc, yearIn, yearKey } from './years.js';

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
  /** Public files rewritten or removed because they differed from a full build. */
  publicFiles: Omit<WriteOutcome, 'unchanged'>;
}

/** Reconcile finished its repairs but some keys failed; the next run tries again. */
export class ReconcileError extends AggregateError {
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
const MAX_PUBLIC_ROUNDS = 5;

/**
 * Compares the state with the bucket and repairs any drift, the nightly safety net behind the
 * event path: releases whose source changed or vanished without an event (or whose record was
 * lost) are synced again; year documents, the embargo list, feed windows, the site index and slug
 * claims are checked against the records and repaired; finally every public file is compared with
 * a full build of the recorded releases and fixed where it differs. Costs O(archive) requests,
 * which is why it runs on a schedule and never per upload.
 */
export async function reconcile(deps: PipelineDeps): Promise<ReconcileReport> {
  const log = deps.log ?? jsonLogger;
  const now = deps.clock();
  const fingerprint = parseFingerprint(deps.site);
  const report: ReconcileReport = {
    sources: 0,
    records: 0,
    resynced: [],
    windowsRebuilt: [],
    siteIndexRebuilt: false,
    orphanClaims: [],
    staleReports: [],
    publicFiles: { written: [], deleted: [] },
  };
  const errors: unknown[] = [];
  const resync = async (key: string, reason: string, placements?: Placement[]) => {
    try {
      await syncRelease(deps, key, placements ? { placements } : {});
      report.resynced.push({ key, reason });
    } catch (error) {
      errors.push(error);
    }
  };

  // 1. Sources against records.
  const sources = new Map<string, string>();
  for await (const summary of deps.bucket.list(RELEASES_PREFIX)) {
    if (isReleaseKey(summary.key)) sources.set(summary.key, summary.etag);
  }
  let records = await readRecords(deps.bucket);
  const reports = new Set<string>();
  for await (const summary of deps.bucket.list(REPORTS_PREFIX)) reports.add(summary.key);
  report.sources = sources.size;
  const drift = new Map<string, string>();
  for (const [key, etag] of sources) {
    const record = records.get(key)?.value;
    if (record === undefined) drift.set(key, 'no record');
    else if (record.sourceEtag !== etag) drift.set(key, 'source changed without an event');
    else if (record.parsedWith !== fingerprint) drift.set(key, 'site settings changed');
    else if (record.rejected && !reports.has(reportKey(key))) {
      drift.set(key, 'rejection report missing');
    }
  }
  for (const [key, { value: record }] of records) {
    if (!sources.has(key) && (record.sourceEtag !== undefined || record.release)) {
      drift.set(key, 'source gone without an event');
    } else if (record.lingering.length > 0 || (!record.release && record.slug)) {
      drift.set(key, 'unfinished sync');
    } else if (record.release && isPublicAt(record.release, now) && !record.announced) {
      drift.set(key, 'due or unannounced');
    }
  }
  for (const [key, reason] of drift) await resync(key, reason);
  if (drift.size > 0) records = await readRecords(deps.bucket);
  report.records = records.size;
  // Reports outliving their rejection (a sync failed between the fixed record and the delete).
  for (const key of reports) {
    const source = key.slice(REPORTS_PREFIX.length, -'.json'.length);
    if (records.get(source)?.value.rejected) continue;
    await deps.bucket.delete(key);
    report.staleReports.push(key);
  }

  // 2. Years and the embargo list against the records.
  const ctx = deriveContext(deps, now);
  const visible = new Map<string, StoredRelease>();
  for (const [key, { value }] of records) {
    if (value.release && isPublicAt(value.release, now)) visible.set(key, value.release);
  }
  const strays = new Map<string, Placement[]>();
  const stray = (key: string, placement?: Placement) => {
    const list = strays.get(key) ?? [];
    if (placement) list.push(placement);
    strays.set(key, list);
  };
  const years = await readAll<YearDoc>(deps.bucket, YEARS_PREFIX);
  const seenInYears = new Set<string>();
  for (const { value: doc } of years.values()) {
    for (const entry of doc.entries) {
      seenInYears.add(entry.key);
      const release = visible.get(entry.key);
      const right =
        release !== undefined &&
        yearIn(release.published, deps.site.timeZone) === doc.year &&
        JSON.stringify(toArchiveRelease(release)) === JSON.stringify(entry.release);
      if (!right) {
        stray(entry.key, {
          year: doc.year,
          categorySlug: entry.release.categorySlug,
          lang: entry.release.lang,
        });
      }
    }
  }
  for (const key of visible.keys()) if (!seenInYears.has(key)) stray(key);
  const embargo = (await readDocument<EmbargoDoc>(deps.bucket, EMBARGO_KEY))?.value;
  const embargoed = new Set(embargo?.entries.map((entry) => entry.key));
  for (const [key, { value }] of records) {
    const shouldWait = value.release !== undefined && !isPublicAt(value.release, now);
    if (shouldWait !== embargoed.has(key)) stray(key);
    embargoed.delete(key);
  }
  for (const key of embargoed) stray(key);
  for (const [key, placements] of strays) await resync(key, 'misplaced in state', placements);
  if (strays.size > 0) {
    records = await readRecords(deps.bucket);
    visible.clear();
    for (const [key, { value }] of records) {
      if (value.release && isPublicAt(value.release, now)) visible.set(key, value.release);
    }
  }

  // 3. Years in the site index first: window refills read the archive through it.
  const yearDocs = await readAll<YearDoc>(deps.bucket, YEARS_PREFIX);
  const indexed = (await readDocument<SiteIndexDoc>(deps.bucket, SITE_INDEX_KEY))?.value;
  const stored = new Set([...yearDocs.values()].map((doc) => doc.value.year));
  const yearViews = [
    ...[...yearDocs].map(([key, doc]) => ({ key, ...doc })),
    ...(indexed?.years ?? [])
      .filter((year) => !stored.has(year))
      .map((year) => ({ key: yearKey(year), value: emptyYear(year), etag: undefined })),
  ];
  await updateSiteIndex(ctx, [], yearViews);

  // 4. Windows: each must be a prefix of its scope, newest first, as long as a feed needs.
  const byScope = new Map<string, { scope: ScopeRef; releases: [string, StoredRelease][] }>();
  for (const [key, release] of visible) {
    for (const scope of scopesOf(release)) {
      const id = windowKey(scope);
      const group = byScope.get(id) ?? { scope, releases: [] };
      group.releases.push([key, release]);
      byScope.set(id, group);
    }
  }
  byScope.set(
    windowKey({ kind: 'all' }),
    byScope.get(windowKey({ kind: 'all' })) ?? {
      scope: { kind: 'all' },
      releases: [],
    },
  );
  const windows = await readAll<WindowDoc>(deps.bucket, WINDOWS_PREFIX);
  const scopes = new Map<string, ScopeRef>([...byScope].map(([id, group]) => [id, group.scope]));
  for (const { value } of windows.values()) scopes.set(windowKey(value.scope), value.scope);
  for (const [id, scope] of scopes) {
    const expected = (byScope.get(id)?.releases ?? []).sort((a, b) =>
      compareStoredNewestFirst(a[1], b[1]),
    );
    const stored = windows.get(id)?.value;
    if (stored === undefined && expected.length === 0) continue;
    if (stored === undefined || !isRightWindow(stored, expected, ctx, scope)) {
      await rebuildWindow(ctx, scope);
      report.windowsRebuilt.push(id);
    }
  }

  // 5. The site index, whole.
  const index = (await readDocument<SiteIndexDoc>(deps.bucket, SITE_INDEX_KEY))?.value;
  const freshWindows = await readAll<WindowDoc>(deps.bucket, WINDOWS_PREFIX);
  const freshYears = await readAll<YearDoc>(deps.bucket, YEARS_PREFIX);
  const expectedIndex = indexWith(
    emptySiteIndex(),
    [...freshWindows.values()].map((doc) => doc.value),
    [...freshYears.values()].map((doc) => doc.value),
  );
  if (JSON.stringify(index) !== JSON.stringify(expectedIndex)) {
    const current = <T>(docs: Map<string, Versioned<T>>) =>
      [...docs].map(([key, doc]) => ({ key, ...doc }));
    await updateSiteIndex(ctx, current(freshWindows), current(freshYears), true);
    report.siteIndexRebuilt = true;
  }

  // 6. Slug claims nobody owns any more.
  for (const [claimKey, { value: claim }] of await readAll<SlugClaim>(deps.bucket, SLUGS_PREFIX)) {
    const slug = claimKey.slice(SLUGS_PREFIX.length).replace(/\.json$/, '');
    if (records.get(claim.key)?.value.slug !== slug) {
      await deps.bucket.delete(claimKey);
      report.orphanClaims.push(slug);
    }
  }

  // 7. Public files against a full build of the recorded releases.
  report.publicFiles = await repairPublic(deps, now, records);
  await announceFeeds(deps, report.publicFiles.written, deps.log ?? jsonLogger);
  log('reconciled', {
    sources: report.sources,
    records: report.records,
    resynced: report.resynced.length,
    windowsRebuilt: report.windowsRebuilt.length,
    siteIndexRebuilt: report.siteIndexRebuilt,
    orphanClaims: report.orphanClaims.length,
    staleReports: report.staleReports.length,
    publicWritten: report.publicFiles.written.length,
    publicDeleted: report.publicFiles.deleted.length,
  });
  if (errors.length > 0) {
    throw new ReconcileError(errors, `${errors.length} keys could not be synced`);
  }
  return report;
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
 * Writes whatever differs from a full build of the recorded releases, removes owned files the
 * build does not produce, and repeats if records changed meanwhile (a concurrent upload).
 */
async function repairPublic(
  deps: PipelineDeps,
  now: Date,
  initial: Map<string, Versioned<ReleaseRecord>>,
): Promise<Omit<WriteOutcome, 'unchanged'>> {
  const outcome = { written: new Set<string>(), deleted: new Set<string>() };
  let records = initial;
  for (let round = 1; round <= MAX_PUBLIC_ROUNDS; round += 1) {
    const releases: Release[] = [];
    for (const { value } of records.values()) {
      if (value.release) releases.push(loadRelease(value.release));
    }
    const { files } = buildSite(releases, deps.site, now);
    const current = new Map<string, string>();
    for (const prefix of OWNED_PUBLIC) {
      for await (const summary of deps.publicSite.list(prefix)) {
        if (OWNED_PUBLIC.some((owned) => summary.key.startsWith(owned))) {
          current.set(summary.key, summary.etag);
        }
      }
    }
    const built = new Set(files.map((file) => file.path));
    await inParallel(files, async (file) => {
      if (current.get(file.path) === md5Etag(file.body)) return;
      await deps.publicSite.put(file.path, file.body, {
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
      outcome.written.add(file.path);
    });
    await inParallel([...current.keys()], async (path) => {
      if (built.has(path)) return;
      await deps.publicSite.delete(path);
      outcome.deleted.add(path);
    });
    const fresh = await readRecords(deps.bucket, records);
    if (sameVersions(fresh, records)) break;
    records = fresh;
  }
  return { written: [...outcome.written].sort(), deleted: [...outcome.deleted].sort() };
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
  const docs = await readAll<ReleaseRecord>(store, RECORDS_PREFIX, byStateKey);
  return new Map([...docs.values()].map((doc) => [doc.value.key, doc]));
}

/** Reads every JSON document under `prefix` (reusing `known` ones whose ETag is unchanged). */
async function readAll<T>(
  store: ObjectStore,
  prefix: string,
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
    const doc = await readDocument<T>(store, summary.key);
    if (doc) docs.set(summary.key, doc);
  });
  return new Map([...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sameVersions<T>(a: Map<string, Versioned<T>>, b: Map<string, Versioned<T>>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, doc] of a) if (b.get(key)?.etag !== doc.etag) return false;
  return true;
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}
