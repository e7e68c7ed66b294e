import { expect } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { objectStoreMediaLookup } from '../../src/media/store-lookup.js';
import type { PipelineDeps } from '../../src/pipeline/deps.js';
import { publishReleaseHandler } from '../../src/pipeline/handlers.js';
import type { Notifier, PipelineNotice } from '../../src/pipeline/notifier.js';
import { releaseRecordSchema } from '../../src/pipeline/records.js';
import {
  encodeS3Key,
  isReleaseKey,
  RELEASES_PREFIX,
  sourcePathOf,
} from '../../src/pipeline/s3-event.js';
import { withSlug } from '../../src/pipeline/slugs.js';
import { recordKey, WITHDRAWN_PREFIX } from '../../src/pipeline/state-keys.js';
import { loadRelease } from '../../src/pipeline/stored-release.js';
import { loadWithdrawal, withdrawnDocSchema } from '../../src/pipeline/withdrawn.js';
import { attachMedia } from '../../src/release/attach-media.js';
import { parseRelease } from '../../src/release/parse.js';
import type { Release } from '../../src/release/types.js';
import { readDocument } from '../../src/shared/document-store.js';
import type { ObjectStore } from '../../src/shared/ports.js';
import { buildSite, liveMedia, publishedBy, type Withdrawal } from '../../src/site/build.js';
import type { SiteConfig } from '../../src/site/config.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { freshBucket, type LocalS3 } from '../support/s3.js';
import { RacyStore } from './racy-store.js';

export const SITE: SiteConfig = {
  siteUrl: 'https://tiedotteet.example.fi',
  title: 'Esimerkkilä',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
  feedLimit: 50,
};

/** A release file in the front-matter format. */
export function releaseText(
  title: string,
  date: string,
  fields: Record<string, string> = {},
  body = 'Ensimmäinen kappale.\n\nToinen kappale.',
): string {
  const extra = Object.entries({ type: 'Tiedote', ...fields })
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
  return `---\ntitle: "${title}"\ndate: ${date}\n${extra}---\n\n${body}\n`;
}

/** A notifier that remembers what it was told. */
export class RecordingNotifier implements Notifier {
  readonly notices: PipelineNotice[] = [];
  async notify(notice: PipelineNotice): Promise<void> {
    this.notices.push(notice);
  }
}

/** A controllable clock. */
export class TestClock {
  constructor(public now: Date) {}
  readonly read = () => new Date(this.now);
}

let sequence = 0x1000_0000_0000;

/** A fresh, increasing sequencer, formatted like S3's (uppercase hex). */
export function nextSequencer(): string {
  sequence += 1;
  return sequence.toString(16).toUpperCase().padStart(16, '0');
}

/** An S3 notification record as S3 sends it: key URL-encoded, a sequencer. */
export function s3Record(
  bucket: string,
  key: string,
  kind: 'created' | 'removed',
  sequencer = nextSequencer(),
) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-north-1',
    eventTime: new Date().toISOString(),
    eventName: kind === 'created' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'releases',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeS3Key(key), sequencer, ...(kind === 'created' ? { size: 1 } : {}) },
    },
  };
}

function isLocalS3(value: unknown): value is LocalS3 {
  return (
    typeof value === 'object' && value !== null && 'createBucket' in value && 'client' in value
  );
}

/**
 * A pipeline with a test clock and a recording notifier, over two in-memory buckets that behave
 * as S3 does (conditions enforced, MD5 ETags, headers kept; tests/adapters/object-store-contract.ts
 * holds them to s3rver's behaviour) — or, given a running s3rver first, over two fresh buckets on
 * it. The releases bucket is a {@link RacyStore}, so a test can land a competing writer.
 */
export async function testPipeline(
  s3OrOverrides?: LocalS3 | Partial<PipelineDeps>,
  s3Overrides: Partial<PipelineDeps> = {},
) {
  const s3 = isLocalS3(s3OrOverrides) ? s3OrOverrides : undefined;
  const overrides = isLocalS3(s3OrOverrides) ? s3Overrides : { ...s3OrOverrides, ...s3Overrides };
  // Conditions enforced in-process, as the local stack does (s3rver ignores them).
  const bucket = new RacyStore(s3 ? await freshBucket(s3, 'releases') : new ConditionalStore());
  const bucketName = s3 ? (bucket.inner as S3ObjectStore).bucket : 'releases-memory';
  const publicSite: ObjectStore = s3 ? await freshBucket(s3, 'public') : new ConditionalStore();
  const clock = new TestClock(new Date('2026-01-15T12:00:00Z'));
  const notifier = new RecordingNotifier();
  const logs: { message: string; fields?: Record<string, unknown> }[] = [];
  const deps: PipelineDeps = {
    bucket,
    publicSite,
    site: SITE,
    clock: clock.read,
    notifier,
    staffEmail: 'viestinta@example.fi',
    log: (message, fields) => logs.push({ message, fields }),
    ...overrides,
  };
  const handle = publishReleaseHandler(deps);
  return {
    deps,
    bucket,
    bucketName,
    publicSite,
    clock,
    notifier,
    logs,
    handle,
    /** Uploads a source and delivers its event (or the returned record, to deliver later). */
    async upload(key: string, text: string, deliver = true) {
      await bucket.put(key, text, { contentType: 'text/markdown; charset=utf-8' });
      const record = s3Record(bucketName, key, 'created');
      if (deliver) await handle({ Records: [record] });
      return record;
    },
    async remove(key: string, deliver = true) {
      await bucket.delete(key);
      const record = s3Record(bucketName, key, 'removed');
      if (deliver) await handle({ Records: [record] });
      return record;
    },
  };
}

/** Every object under `prefix` as path → text. */
export async function snapshot(store: ObjectStore, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const summary of store.list(prefix)) {
    const object = await store.get(summary.key);
    out.set(summary.key, new TextDecoder().decode(object?.body));
  }
  return out;
}

/**
 * The headers an in-memory bucket of {@link testPipeline} keeps with `key`, as S3 would serve
 * them (the S3 adapter's contract test proves it sends them along).
 */
export function headersOf(store: ObjectStore, key: string) {
  if (!(store instanceof ConditionalStore)) throw new Error('headersOf reads an in-memory bucket');
  const object = store.objects.get(key);
  return {
    contentType: object?.contentType,
    cacheControl: object?.cacheControl,
    contentDisposition: object?.contentDisposition,
    etag: object?.etag,
  };
}

/** The text of one object, or undefined. */
export async function text(store: ObjectStore, key: string): Promise<string | undefined> {
  const object = await store.get(key);
  return object === undefined ? undefined : new TextDecoder().decode(object.body);
}

/**
 * Asserts that the public bucket holds exactly what a full build writes (the oracle): every source
 * under `releases/` parsed afresh, under the slug the pipeline recorded for it (an edit keeps its
 * slug), or — for a rejected upload — the last accepted version, which stays published. The full
 * build is written to an in-memory bucket and compared file by file, byte for byte.
 */
export async function expectMatchesFullBuild(
  t: { bucket: ObjectStore; publicSite: ObjectStore; deps: PipelineDeps },
  now = t.deps.clock(),
): Promise<number> {
  const site = t.deps.site;
  const releases: Release[] = [];
  for await (const summary of t.bucket.list(RELEASES_PREFIX)) {
    if (!isReleaseKey(summary.key)) continue;
    const record = (await readDocument(t.bucket, recordKey(summary.key), releaseRecordSchema))
      ?.value;
    const source = await t.bucket.get(summary.key);
    const parsed = parseRelease(sourcePathOf(summary.key), source?.body ?? new Uint8Array(), site);
    if (parsed.ok) {
      const lookup = objectStoreMediaLookup(t.bucket, RELEASES_PREFIX);
      const { release } = await attachMedia(parsed.release, lookup);
      releases.push(record?.slug ? withSlug(release, record.slug, site.siteUrl) : release);
    } else if (record?.release) {
      releases.push(loadRelease(record.release));
    }
  }
  const built = new ConditionalStore();
  const withdrawals: Withdrawal[] = [];
  for await (const summary of t.bucket.list(WITHDRAWN_PREFIX)) {
    const doc = await readDocument(t.bucket, summary.key, withdrawnDocSchema);
    if (doc) withdrawals.push(loadWithdrawal(doc.value));
  }
  for (const file of buildSite(releases, site, now, withdrawals).files) {
    await built.put(file.path, file.body, { contentType: file.contentType });
  }
  for (const { publicPath, sourcePath } of liveMedia(publishedBy(releases, now))) {
    const source = await t.bucket.get(RELEASES_PREFIX + sourcePath);
    if (source) await built.put(publicPath, source.body);
  }
  const expected = await snapshot(built);
  const actual = await snapshot(t.publicSite);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, body] of expected) expect(actual.get(path), path).toBe(body);
  return expected.size;
}
