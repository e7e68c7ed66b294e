import { existsSync, type FSWatcher, watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { readDigestConfig } from '../config/digest.js';
import { EnvReader } from '../config/env-reader.js';
import { readSiteConfig } from '../config/site.js';
import { type DigestRunResult, runDigest } from '../digest/run.js';
import type { DigestFrequency } from '../digest/types.js';
import { wireMailRuns } from '../digest/wiring.js';
import { DRAFTS_PREFIX } from '../drafts/keys.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { consumeBatch } from '../pipeline/handlers.js';
import { type RejectionReport, rejectionReportSchema } from '../pipeline/notifier.js';
import { decodeInvocation } from '../pipeline/queue-message.js';
import { encodeS3Key, isReleaseKey, RELEASES_PREFIX } from '../pipeline/s3-event.js';
import { WITHDRAWN_PREFIX } from '../pipeline/state-keys.js';
import { readDocument } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { type FolderSyncResult, syncFolder } from './folder-sync.js';
import { InProcessNoticeQueue } from './notice-queue.js';
import { LocalPipelineQueue } from './pipeline-queue.js';
import { type LocalS3, S3RVER_CREDENTIALS, startS3Server } from './s3-server.js';
import { type LocalSesServer, startSesServer } from './ses-server.js';
import { type HttpApiHandler, type LocalWebServer, startWebServer } from './web.js';

/** The releases folder `npm start` publishes. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/releases/', import.meta.url));

const LOCAL_BUCKETS = { releases: 'newsroom-releases', public: 'newsroom-public' } as const;

/** How to start the local stack; every field has a default. */
export interface LocalStackOptions {
  /** s3rver's port (default `S3_PORT` or 4569; 0 picks a free one). */
  s3Port?: number;
  /** aws-ses-v2-local's port (default `SES_PORT` or 8005). */
  sesPort?: number;
  /** The public site's port (default `WEB_PORT` or 8080). */
  webPort?: number;
  /** Folder mirrored into `releases/` (default examples/releases/). */
  releasesDir?: string;
  /** s3rver's data folder (default a fresh temporary folder, removed by `stop()`). */
  dataDir?: string;
  /** One pass only: publish the folder and do not follow it afterwards (`npm start -- --once`). */
  once?: boolean;
  /** Where rejected uploads are reported by mail (default `STAFF_EMAIL` or staff@example.com). */
  staffEmail?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** URLs of a running local stack. */
interface LocalStackUrls {
  site: string;
  index: string;
  feeds: { atom: string; rss: string; json: string };
  api: string;
  /** aws-ses-v2-local's web viewer. */
  mailViewer: string;
  s3: string;
  ses: string;
}

/** What `--once` prints at the end. */
interface LocalStackSummary {
  sources: number;
  published: number;
  rejected: RejectionReport[];
  publicFiles: number;
  failures: number;
}

/** A running local stack: servers, clients and the pipeline wired to them. */
export interface LocalStack {
  urls: LocalStackUrls;
  buckets: typeof LOCAL_BUCKETS;
  s3: S3Client;
  stores: { releases: ObjectStore; public: ObjectStore };
  pipeline: PipelineDeps;
  /** Mirrors the releases folder into the bucket once more (the watcher calls this). */
  syncReleases(): Promise<FolderSyncResult>;
  /** Resolves once every event so far has been handled (and the ones those caused). */
  settled(): Promise<void>;
  /** Publishes embargoed releases whose time has come (the 5-minute schedule in AWS). */
  publishDue(): Promise<void>;
  summary(): Promise<LocalStackSummary>;
  /**
   * One digest run of `frequency` to the confirmed subscribers, through the same code as the
   * scheduled function: the scheduled window at `at`, or with `everything`, all releases published
   * so far (the demo run that ends `npm start -- --once`).
   */
  runDigest(
    frequency: DigestFrequency,
    options?: { at?: Date; everything?: boolean },
  ): Promise<DigestRunResult>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded stack behind `npm start`: s3rver and aws-ses-v2-local in this process, the
 * two buckets, s3rver's events wired to the same publish-release handler Lambda runs (keys encoded
 * the way S3 encodes them), the releases folder uploaded, the public bucket served over HTTP with
 * `/api/*` routed to the subscriptions API, and (unless `once`) the folder followed.
 *
 * It sets the environment variables the Lambda functions read (buckets, endpoints, credentials,
 * `SITE_URL`, …) because the subscriptions API reads them at import; that module caches its
 * configuration, so run one stack per process.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const env = process.env;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'newsroom-local-')));
  const releasesDir = options.releasesDir ?? EXAMPLES_DIR;

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const { s3, ses, web, apiSlot } = await startServers(options, dataDir, log, cleanups);
    const staffEmail = options.staffEmail ?? env.STAFF_EMAIL ?? 'staff@example.com';
    setLocalEnvironment(env, { site: web.url, s3: s3.endpoint, ses: ses.endpoint, staffEmail });
    // Every client, in this process or another (send-digest --local), reaches s3rver through its
    // gate, which enforces conditional writes and keeps s3rver's own races out (s3-gate.ts).
    const releases = new S3ObjectStore(s3.client, LOCAL_BUCKETS.releases);
    const publicStore = new S3ObjectStore(s3.client, LOCAL_BUCKETS.public);
    const { pipeline, mail } = await localPipeline(env, releases, publicStore, staffEmail, log);

    const events = wireEvents(s3, pipeline, log);
    cleanups.push(async () => {
      s3.server.removeAllListeners('event');
      await events.queue.settled();
    });

    await loadApi(apiSlot, log);

    const syncReleases = () => syncReleasesAndDrafts(releasesDir, releases);
    const first = await syncReleases();
    log(`uploaded ${first.uploaded.length} release file(s) from ${releasesDir}`);
    await events.queue.settled();

    let watcher: FSWatcher | undefined;
    if (!options.once) {
      watcher = watchFolder(releasesDir, syncReleases, log);
      cleanups.push(async () => watcher?.close());
    }

    let stopped = false;
    return {
      urls: stackUrls(web.url, s3.endpoint, ses.endpoint),
      buckets: LOCAL_BUCKETS,
      s3: s3.client,
      stores: { releases, public: publicStore },
      pipeline,
      syncReleases,
      settled: () => events.queue.settled(),
      async publishDue() {
        events.queue.push({ kind: 'due' });
        await events.queue.settled();
      },
      summary: () => summarise(releases, publicStore, events.queue.failures()),
      runDigest: (frequency, runOptions = {}) => localDigest(mail, frequency, runOptions),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
        if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** s3rver (behind its gate), aws-ses-v2-local and the web server, each stopped by `cleanups`. */
async function startServers(
  options: LocalStackOptions,
  dataDir: string,
  log: (line: string) => void,
  cleanups: (() => Promise<void>)[],
) {
  const env = process.env;
  const port = (value: number | undefined, name: string, fallback: number) =>
    value ?? (env[name] ? Number(env[name]) : fallback);
  const s3: LocalS3 = await startS3Server({
    port: port(options.s3Port, 'S3_PORT', 4569),
    directory: join(dataDir, 's3'),
    log,
  });
  cleanups.push(() => s3.stop());
  const ses: LocalSesServer = await startSesServer(port(options.sesPort, 'SES_PORT', 8005));
  cleanups.push(() => ses.stop());
  await s3.createBucket(LOCAL_BUCKETS.releases);
  await s3.createBucket(LOCAL_BUCKETS.public);
  // The web server's port fixes SITE_URL, which the pipeline and the API need: listen first,
  // attach the API once its module is loaded.
  const apiSlot: { handler?: HttpApiHandler; missing?: string } = {};
  const web: LocalWebServer = await startWebServer({
    port: port(options.webPort, 'WEB_PORT', 8080),
    s3: s3.client,
    publicBucket: LOCAL_BUCKETS.public,
    api: (event) => {
      if (!apiSlot.handler) throw new Error(apiSlot.missing ?? 'API not loaded');
      return apiSlot.handler(event);
    },
    log,
  });
  cleanups.push(() => web.stop());
  return { s3, ses, web, apiSlot };
}

/** The variables the Lambda functions read, pointed at the local servers. */
function setLocalEnvironment(
  env: NodeJS.ProcessEnv,
  at: { site: string; s3: string; ses: string; staffEmail: string },
): void {
  Object.assign(env, {
    RELEASES_BUCKET: LOCAL_BUCKETS.releases,
    PUBLIC_BUCKET: LOCAL_BUCKETS.public,
    SITE_URL: at.site,
    S3_ENDPOINT: at.s3,
    SES_ENDPOINT: at.ses,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    STAFF_EMAIL: at.staffEmail,
  });
  env.SITE_TITLE ??= 'Esimerkkilä';
  env.MAIL_FROM ??= 'Esimerkkilä <uutiset@example.com>';
  // A fixed development secret: confirmation links keep working across restarts.
  env.TOKEN_SECRET ??= 'local-development-token-secret-not-for-production';
  // Local SES never answers GetSendQuota, so the rate is configured (as SES_SEND_RATE in AWS).
  env.SES_SEND_RATE ??= '50';
}

/** The publisher's ports over the local buckets, its notices handled in-process. */
async function localPipeline(
  env: NodeJS.ProcessEnv,
  releases: ObjectStore,
  publicStore: ObjectStore,
  staffEmail: string,
  log: (line: string) => void,
) {
  const reader = new EnvReader(env);
  const site = readSiteConfig(reader);
  reader.done();
  const digestConfig = readDigestConfig(env);
  const mail = await wireMailRuns(digestConfig, {
    store: releases,
    s3Credentials: S3RVER_CREDENTIALS,
  });
  const pipeline: PipelineDeps = {
    bucket: releases,
    publicSite: publicStore,
    site,
    clock: () => new Date(),
    notifier: new InProcessNoticeQueue({ wiring: mail, from: digestConfig.mailFrom }, log),
    staffEmail: staffEmail || undefined,
    log: (message, fields) => {
      const where = typeof fields?.key === 'string' ? ` ${fields.key}` : '';
      const what = typeof fields?.change === 'string' ? ` (${fields.change})` : '';
      log(`publish: ${message}${where}${what}`);
    },
  };
  return { pipeline, mail };
}

/** Attaches the subscriptions API's handler, or says why /api answers 503. */
async function loadApi(
  slot: { handler?: HttpApiHandler; missing?: string },
  log: (line: string) => void,
): Promise<void> {
  try {
    const module = (await import('../../functions/subscriptions-api.js')) as {
      handler?: HttpApiHandler;
    };
    if (typeof module.handler !== 'function') throw new Error('no `handler` export');
    slot.handler = module.handler;
  } catch (error) {
    slot.missing = `functions/subscriptions-api.ts could not be loaded (${String(error)})`;
    log(`api: ${slot.missing}; /api answers 503`);
  }
}

function stackUrls(site: string, s3: string, ses: string): LocalStackUrls {
  return {
    site: `${site}/`,
    index: `${site}/index.html`,
    feeds: {
      atom: `${site}/feeds/atom.xml`,
      rss: `${site}/feeds/rss.xml`,
      json: `${site}/feeds/feed.json`,
    },
    api: `${site}/api/`,
    mailViewer: `${ses}/`,
    s3,
    ses,
  };
}

/** One digest run, as the scheduled function runs it, or of everything published so far. */
function localDigest(
  mail: Awaited<ReturnType<typeof wireMailRuns>>,
  frequency: DigestFrequency,
  options: { at?: Date; everything?: boolean },
): Promise<DigestRunResult> {
  const at = options.at ?? new Date();
  const window = options.everything
    ? { frequency, since: new Date(0), until: at, runId: `${frequency}-local-${at.getTime()}` }
    : undefined;
  return runDigest({ ...mail.options, frequency, releases: mail.releases, at, window });
}

interface S3rverRecord {
  s3?: { bucket?: { name?: string }; object?: { key?: string } };
}

/**
 * Puts s3rver's events for keys under `releases/` and `drafts/` in the releases bucket on the in-process
 * publishing queue, whose one consumer applies them in batches as the publisher does in AWS.
 * S3 URL-encodes keys in its events and s3rver does not: each record goes through the same
 * decoding as in AWS (encoded here, decoded by the handler). s3rver's sequencer is the
 * millisecond clock: replaced by a strictly increasing one.
 */
function wireEvents(s3: LocalS3, pipeline: PipelineDeps, log: (line: string) => void) {
  const queue = new LocalPipelineQueue((events) => consumeBatch(pipeline, events), log);
  let counter = 0n;
  let lastMs = 0n;
  const nextSequencer = () => {
    const now = BigInt(Date.now());
    counter = now === lastMs ? counter + 1n : 0n;
    lastMs = now;
    return (now * 4096n + counter).toString(16).toUpperCase().padStart(16, '0');
  };
  s3.server.on('event', (event: { Records?: S3rverRecord[] }) => {
    for (const record of event.Records ?? []) {
      const key = record.s3?.object?.key;
      if (record.s3?.bucket?.name !== LOCAL_BUCKETS.releases || !key) continue;
      if (!key.startsWith(RELEASES_PREFIX) && !key.startsWith(DRAFTS_PREFIX)) continue;
      const delivered = {
        ...record,
        s3: {
          ...record.s3,
          object: { ...record.s3.object, key: encodeS3Key(key), sequencer: nextSequencer() },
        },
      };
      try {
        queue.push(...decodeInvocation({ Records: [delivered] }));
      } catch (error) {
        log(`publish: event for ${key} not understood: ${String(error)}`);
      }
    }
  });
  return { queue };
}

/**
 * Mirrors the folder into `releases/`, except its `drafts/` subfolder, which goes to `drafts/`
 * (private previews), as staff would upload them in AWS.
 */
async function syncReleasesAndDrafts(dir: string, store: ObjectStore): Promise<FolderSyncResult> {
  const published = await syncFolder(dir, store, RELEASES_PREFIX, { skip: DRAFTS_PREFIX });
  const draftsDir = join(dir, DRAFTS_PREFIX);
  const drafts = existsSync(draftsDir)
    ? await syncFolder(draftsDir, store, DRAFTS_PREFIX)
    : { uploaded: [], deleted: [] };
  return {
    uploaded: [...published.uploaded, ...drafts.uploaded],
    deleted: [...published.deleted, ...drafts.deleted],
  };
}

/** Re-mirrors the folder shortly after any change in it (one pass at a time). */
function watchFolder(
  dir: string,
  sync: () => Promise<FolderSyncResult>,
  log: (line: string) => void,
): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = sync()
      .then(({ uploaded, deleted }) => {
        for (const key of uploaded) log(`watch: uploaded ${key}`);
        for (const key of deleted) log(`watch: deleted ${key}`);
      })
      .catch((error: unknown) => log(`watch: ${String(error)}`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
}

async function summarise(
  releases: ObjectStore,
  publicStore: ObjectStore,
  failures: number,
): Promise<LocalStackSummary> {
  let sources = 0;
  for await (const summary of releases.list(RELEASES_PREFIX)) {
    if (isReleaseKey(summary.key)) sources += 1;
  }
  const rejected: RejectionReport[] = [];
  for await (const summary of releases.list('reports/')) {
    const report = await readDocument(releases, summary.key, rejectionReportSchema);
    if (report) rejected.push(report.value);
  }
  // A deleted release's address keeps its withdrawn page: that is not a published release.
  const withdrawn = new Set<string>();
  for await (const summary of releases.list(WITHDRAWN_PREFIX)) {
    withdrawn.add(`releases/${summary.key.slice(WITHDRAWN_PREFIX.length, -'.json'.length)}.html`);
  }
  let published = 0;
  let publicFiles = 0;
  for await (const summary of publicStore.list('')) {
    publicFiles += 1;
    if (!summary.key.startsWith('releases/')) continue;
    if (withdrawn.has(summary.key) && (await isWithdrawnPage(publicStore, summary.key))) continue;
    published += 1;
  }
  return { sources, published, rejected, publicFiles, failures };
}

/** Whether the page at `key` is a withdrawn notice (the only release-address page with noindex). */
async function isWithdrawnPage(store: ObjectStore, key: string): Promise<boolean> {
  const page = await store.get(key);
  return new TextDecoder().decode(page?.body).includes('<meta name="robots" content="noindex">');
}
