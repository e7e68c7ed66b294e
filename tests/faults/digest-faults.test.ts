import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { readDigestConfig } from '../../src/config/digest.js';
import { deliver } from '../../src/digest/deliver.js';
import { PipelineReleaseSource } from '../../src/digest/pipeline-releases.js';
import { subscriberRoster } from '../../src/digest/roster.js';
import { type DigestRunOptions, runDigest, runImmediate } from '../../src/digest/run.js';
import type { DigestWindow } from '../../src/digest/schedule.js';
import { wireMailRuns } from '../../src/digest/wiring.js';
import type { Release } from '../../src/release/types.js';
import type { Mailer, ObjectStore } from '../../src/shared/ports.js';
import { newSubscriberId, SHARD_COUNT, shardOfAddressHash } from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys, hashAddress } from '../../src/subscribers/keys.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import { subscriberLinks } from '../../src/subscribers/subscriptions.js';
import type { Frequency, Lang } from '../../src/subscribers/types.js';
import { memoryRoster, recipient } from '../digest/fixtures.js';
import { releaseText } from '../pipeline/harness.js';
import { ConditionEnforcingStore } from '../support/condition-enforcing-store.js';
import { ConditionalStore } from '../support/conditional-store.js';
import {
  CrashSwitch,
  crashingMailer,
  crashingStore,
  FaultLedger,
  FaultPlan,
  faultyS3Client,
  faultySesMailer,
  faultyStore,
  S3rverFolderGuard,
} from '../support/faults.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { type PipelineWorld, pipelineWorld } from './pipeline-world.js';

/**
 * Digest runs while SES throttles and fails, S3 fails, and invocations crash. The promise
 * (docs/digest.md): nobody who should get the mail is missed; nobody gets it twice, except that
 * an invocation that dies (a crash, or an S3 failure writing progress) repeats, once each, the
 * messages SES had accepted from it and that were not yet recorded.
 *
 * The scenarios test the digest's logic, so subscribers and pipeline state live in an in-memory
 * bucket that enforces conditions as S3 does (the object-store contract suite holds it to
 * s3rver), with S3 faults injected at the store. One S3-fault seed runs on s3rver, its faults S3's
 * own XML error answers parsed by the SDK, so the path from HTTP to the digest's retries stays
 * proven end to end. Mail always goes through aws-ses-v2-local, its faults SES's own answers.
 */

const SECRET = 'a-fault-test-secret-of-at-least-32-bytes-0123';
const keys = deriveSubscriberKeys(SECRET);

let s3: LocalS3;
let ses: LocalSes;
/** The world most scenarios run in (in memory), and the one on s3rver. */
let memory: DigestWorld;
let onS3rver: DigestWorld;
let releases: Release[];
const ledger = new FaultLedger('email digests');

interface Resident {
  id: string;
  address: string;
  lang: Lang;
  frequency: Frequency;
  categories: string[];
}

/** 36 residents: every language, all categories or one, three frequencies. */
const residents: Resident[] = Array.from({ length: 36 }, (_, i) => {
  const langs: Lang[] = ['fi', 'sv', 'en'];
  const choices = [[], ['blogi'], ['kuulutus']];
  const frequencies: Frequency[] = ['daily', 'daily', 'daily', 'weekly', 'immediate'];
  const address = `asukas${i}@example.fi`;
  return {
    id: newSubscriberId(shardOfAddressHash(hashAddress(keys, address))),
    address,
    lang: langs[i % 3] ?? 'fi',
    frequency: frequencies[i % 5] ?? 'daily',
    categories: choices[Math.floor(i / 3) % 3] ?? [],
  };
});

/** The daily window in which the releases below were first published. */
const WINDOW = {
  frequency: 'daily' as const,
  since: new Date('2026-01-15T06:00:00Z'),
  until: new Date('2026-01-16T06:00:00Z'),
};
const RUN_AT = new Date('2026-01-16T06:00:10Z').getTime();

/** Releases published by the pipeline itself (its clock: 2026-01-15 12:00 UTC). */
async function publishReleases(world: PipelineWorld): Promise<void> {
  const handle = world.handler();
  const uploads: [string, string, Record<string, string>][] = [
    ['releases/2026/uimahalli.md', 'Uimahalli avautuu', {}],
    ['releases/2026/blogi.md', 'Kevään blogi', { type: 'Blogi' }],
    ['releases/2026/simhall.md', 'Simhallen öppnar', { type: 'Pressmeddelande', lang: 'sv' }],
    ['releases/2026/pool.md', 'The pool opens', { type: 'Press release', lang: 'en' }],
  ];
  for (const [key, title, fields] of uploads) {
    const text = releaseText(title, '2026-01-14 10:00', fields);
    await handle(await world.staff({ kind: 'put', key, text, label: key }));
  }
}

/** Stores every resident as a confirmed subscriber. */
async function enrolResidents(store: ObjectStore): Promise<void> {
  const subscribers = new SubscriberStore(store);
  for (const resident of residents) {
    await subscribers.upsert({
      ...resident,
      addressHash: hashAddress(keys, resident.address),
      consent: {
        requestedAt: '2026-01-01T00:00:00Z',
        ip: '192.0.2.1',
        userAgent: 'test',
        channel: 'html-form',
        lang: resident.lang,
        confirmedAt: '2026-01-01T00:05:00Z',
      },
      updatedAt: '2026-01-01T00:05:00Z',
    });
  }
}

/**
 * The releases bucket with the releases published and the residents subscribed, on s3rver when
 * `s3` is given, else in memory, and the digest's wiring over it (mail to aws-ses-v2-local).
 */
async function digestWorld(s3: LocalS3 | undefined) {
  const world = await pipelineWorld(s3);
  await publishReleases(world);
  await enrolResidents(world.bucket);
  const config = readDigestConfig({
    RELEASES_BUCKET: world.releasesBucket,
    SITE_URL: 'https://tiedotteet.example.fi',
    SITE_TITLE: 'Esimerkkilä',
    MAIL_FROM: 'Esimerkkilä <tiedotteet@example.fi>',
    TOKEN_SECRET: SECRET,
    SES_ENDPOINT: ses.endpoint,
    SES_SEND_RATE: '500',
  });
  const wiring = await wireMailRuns(config, { store: world.clean.bucket });
  return {
    wiring,
    /** The bucket read with no faults, for checks. */
    clean: world.clean.bucket,
    /** The digest's store as one process sees it, its requests failing as `faults` says. */
    store(faults: FaultPlan | undefined): ObjectStore {
      if (!s3)
        return faults ? faultyStore(world.bucket, world.releasesBucket, faults) : world.bucket;
      const client = faults ? faultyS3Client(s3.endpoint, faults) : s3.client;
      return new ConditionEnforcingStore(
        new S3rverFolderGuard(new S3ObjectStore(client, world.releasesBucket)),
      );
    },
  };
}
type DigestWorld = Awaited<ReturnType<typeof digestWorld>>;

beforeAll(async () => {
  [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
  [memory, onS3rver] = await Promise.all([digestWorld(undefined), digestWorld(s3)]);
  releases = await memory.wiring.releases.publishedBetween(WINDOW.since, WINDOW.until);
  const releasesOnS3rver = await onS3rver.wiring.releases.publishedBetween(
    WINDOW.since,
    WINDOW.until,
  );
  expect(releasesOnS3rver.map((release) => release.id)).toEqual(
    releases.map((release) => release.id),
  );
});

afterAll(async () => {
  ledger.print();
  await Promise.all([s3?.stop(), ses?.stop()]);
});

/** Who must get the mail of a `frequency` run: their language and categories match a release. */
function expectedRecipients(frequency: Frequency, about: readonly Release[]): Set<string> {
  return new Set(
    residents
      .filter(
        (r) =>
          r.frequency === frequency &&
          about.some(
            (release) =>
              release.lang === r.lang &&
              (r.categories.length === 0 || r.categories.includes(release.categorySlug)),
          ),
      )
      .map((r) => r.address),
  );
}

/** The ids recorded as sent (or refused) in a run's progress, read with no faults. */
async function recordedIds(world: DigestWorld, runId: string): Promise<Set<string>> {
  const store = world.clean;
  const ids = new Set<string>();
  for await (const object of store.list(`digests/${runId}/sent/`)) {
    const body = await store.get(object.key);
    for (const record of JSON.parse(new TextDecoder().decode(body?.body)) as { id: string }[]) {
      ids.add(record.id);
    }
  }
  return ids;
}

/** Messages per recipient in the local SES store. */
async function mailCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const email of await ses.emails()) {
    expect(email.destination.to).toHaveLength(1);
    const to = email.destination.to[0] ?? '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

interface Invocation {
  crash?: CrashSwitch;
}

/**
 * Invokes the digest run again and again, as the schedule's retries and the digest queue's
 * continuations would, until it reports done. After every invocation that did not finish cleanly,
 * the messages SES accepted from it but that are not in the progress records are the ones the
 * documented bound allows to go again. Returns how many such repeats each address may get.
 */
async function runUntilDone(
  world: DigestWorld,
  runId: string,
  options: {
    store: ObjectStore;
    mailer: Mailer;
    invocation: (n: number) => Invocation;
  },
): Promise<{ allowedRepeats: Map<string, number>; invocations: number; failures: number }> {
  const allowedRepeats = new Map<string, number>();
  const addressOf = new Map(residents.map((r) => [r.id, r.address]));
  const window: DigestWindow = { ...WINDOW, runId };
  let now = RUN_AT;
  let failures = 0;
  for (let n = 1; n <= 300; n += 1) {
    const { crash } = options.invocation(n);
    const store = crash ? crashingStore(options.store, crash) : options.store;
    const mailer = crashingMailer(options.mailer, crash ?? new CrashSwitch(Infinity));
    const run: DigestRunOptions = {
      ...world.wiring.options,
      store,
      mailer,
      roster: subscriberRoster(new SubscriberStore(store), SHARD_COUNT, (id) =>
        subscriberLinks(keys, 'https://tiedotteet.example.fi', id),
      ),
      releases: new PipelineReleaseSource(store),
      frequency: 'daily',
      window,
      clock: () => new Date(now),
      concurrency: 4,
      leaseMs: 60_000,
      retry: { attempts: 6, baseMs: 1, capMs: 8 },
    };
    const outcome = await runDigest(run).catch((error: unknown) => error);
    const status = outcome instanceof Error ? 'failed' : (outcome as { status: string }).status;
    if (status === 'done' || status === 'already-done') {
      return { allowedRepeats, invocations: n, failures };
    }
    expect(['failed', 'paused', 'busy'], String(outcome)).toContain(status);
    if (status === 'failed') failures += 1;
    const recorded = await recordedIds(world, runId);
    const recordedAddresses = new Set([...recorded].map((id) => addressOf.get(id)));
    for (const address of mailer.accepted) {
      if (!recordedAddresses.has(address)) {
        allowedRepeats.set(address, (allowedRepeats.get(address) ?? 0) + 1);
      }
    }
    // A failed invocation may still hold the lease: the next one waits it out.
    now += 61_000;
  }
  throw new Error(`${runId} did not finish in 300 invocations`);
}

/** Checks the promise and books the scenario; returns the number of repeated messages. */
async function expectEveryoneOnceWithinTheBound(
  expected: Set<string>,
  allowedRepeats: Map<string, number>,
  faults: number,
): Promise<number> {
  const counts = await mailCounts();
  const lost = [...expected].filter((address) => !counts.has(address)).length;
  let duplicates = 0;
  for (const [address, count] of counts) {
    expect(expected.has(address), `${address} should get no mail`).toBe(true);
    expect(count, address).toBe(1 + (allowedRepeats.get(address) ?? 0));
    duplicates += count - 1;
  }
  ledger.add({ faults, lost, duplicates });
  expect(lost).toBe(0);
  return duplicates;
}

describe('SES throttling and transient failures during a digest run', () => {
  it.each([21, 22, 23])(
    'seed %i: Throttling and 5xx on 20% of sends are retried: everyone gets exactly one mail',
    async (seed) => {
      await ses.clear();
      const sesFaults = new FaultPlan(seed, 0.2);
      const expected = expectedRecipients('daily', releases);
      const { allowedRepeats, failures } = await runUntilDone(memory, `daily-ses-${seed}`, {
        store: memory.store(undefined),
        mailer: faultySesMailer(ses.endpoint, sesFaults),
        invocation: () => ({}),
      });
      expect(sesFaults.injected).toBeGreaterThan(0);
      expect(failures).toBe(0);
      expect(allowedRepeats.size).toBe(0);
      expect(
        await expectEveryoneOnceWithinTheBound(expected, allowedRepeats, sesFaults.injected),
      ).toBe(0);
    },
  );
});

describe('S3 failing 20% of the digest requests for twenty invocations, SES failing throughout', () => {
  it.each([
    [4, 's3rver'],
    [5, 'memory'],
    [6, 'memory'],
  ] as const)(
    'seed %i on %s: failed invocations are retried and resume; repeats only of accepted, unrecorded mail',
    async (seed, where) => {
      const world = where === 's3rver' ? onS3rver : memory;
      await ses.clear();
      const s3Faults = new FaultPlan(seed, 0.2);
      const sesFaults = new FaultPlan(seed + 1000, 0.2);
      const expected = expectedRecipients('daily', releases);
      const { allowedRepeats, failures } = await runUntilDone(world, `daily-s3-${seed}`, {
        store: world.store(s3Faults),
        mailer: faultySesMailer(ses.endpoint, sesFaults),
        // S3 fails through the first twenty invocations (each reads 64 roster shards), then recovers.
        invocation: (n) => {
          s3Faults.active = n <= 20;
          return {};
        },
      });
      expect(failures).toBeGreaterThan(0);
      await expectEveryoneOnceWithinTheBound(
        expected,
        allowedRepeats,
        s3Faults.injected + sesFaults.injected,
      );
    },
  );
});

describe('a digest run crashing at random points, then resumed', () => {
  it.each([7, 8, 9, 10, 11])(
    'seed %i: up to three crashes, then a clean invocation: everyone once, plus the bound',
    async (seed) => {
      await ses.clear();
      const plan = new FaultPlan(seed, 0);
      const crashes = plan.int(1, 3);
      const expected = expectedRecipients('daily', releases);
      // A clean run makes ~90 requests (64 roster shards, progress, SES): crash anywhere in them.
      const { allowedRepeats, failures } = await runUntilDone(memory, `daily-crash-${seed}`, {
        store: memory.store(undefined),
        mailer: memory.wiring.options.mailer,
        invocation: (n) => (n <= crashes ? { crash: new CrashSwitch(plan.int(3, 90)) } : {}),
      });
      expect(failures).toBeGreaterThan(0);
      await expectEveryoneOnceWithinTheBound(expected, allowedRepeats, failures);
    },
  );
});

describe('duplicated and concurrent release-published notices', () => {
  it('seed 12: the same notice three times, two at once, with SES throttling: one mail each', async () => {
    await ses.clear();
    const sesFaults = new FaultPlan(12, 0.2);
    const release = await memory.wiring.releases.releaseAt('releases/2026/uimahalli.md');
    if (!release) throw new Error('the published release is missing');
    const options = {
      ...memory.wiring.options,
      store: memory.store(undefined),
      mailer: faultySesMailer(ses.endpoint, sesFaults),
      retry: { attempts: 8, baseMs: 1, capMs: 8 },
    };
    const both = await Promise.all([
      runImmediate(release, options),
      runImmediate(release, options),
    ]);
    const statuses = both.map((result) => result.status).sort();
    // One sends; the other finds the lease taken, or the run already done.
    expect(statuses).toContain('done');
    const again = await runImmediate(release, options);
    expect(['done', 'already-done']).toContain(again.status);
    await expectEveryoneOnceWithinTheBound(
      expectedRecipients('immediate', [release]),
      new Map(),
      sesFaults.injected + 2,
    );
  });
});

describe('regression: a failed progress write while other recipients are being sent to', () => {
  it('fails the run with the S3 error instead of an unhandled rejection (which kills a Lambda)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = new ConditionalStore();
      // S3 refuses the records of shard s00; s01's recipients are still being sent to.
      store.beforePut = (key) => {
        if (key.includes('/sent/s00/'))
          throw Object.assign(new Error('SlowDown'), { name: 'SlowDown' });
      };
      const slow: Mailer = {
        async send(mail) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { messageId: `id-${mail.to[0]}` };
        },
      };
      const run = deliver(
        {
          runId: 'daily-regression',
          kind: 'daily',
          releases: releases.filter((release) => release.lang === 'fi'),
          slot: WINDOW.until,
        },
        {
          ...memory.wiring.options,
          sendRate: 1000,
          store,
          mailer: slow,
          roster: memoryRoster([
            [recipient('a')],
            [recipient('b'), recipient('c'), recipient('d')],
          ]),
          concurrency: 1,
        },
      );
      await expect(run).rejects.toThrow('SlowDown');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
