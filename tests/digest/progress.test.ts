import { Readable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/adapters/s3-object-store.js';
import { type DeliveryDeps, type DeliveryJob, deliver } from '../../src/digest/deliver.js';
import { RunProgress } from '../../src/digest/progress.js';
import type { DigestRecipient } from '../../src/digest/types.js';
import { S3RVER_CREDENTIALS } from '../../src/local/s3-server.js';
import type { LogEntry } from '../../src/observability/log.js';
import type { Mailer, ObjectStore } from '../../src/shared/ports.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { freshBucket } from '../support/s3.js';
import { FROM, memoryRoster, recipient, release, SITE } from './fixtures.js';
import { mailServers } from './mail-servers.js';

const servers = mailServers({ clearMailBetweenTests: true });

const JOB: DeliveryJob = {
  runId: 'daily-2026-11-28',
  kind: 'daily',
  releases: [release('uimahalli', '2026-11-27T10:15:00Z')],
  slot: new Date('2026-11-28T06:00:00Z'),
};
const PREFIX = `digests/${JOB.runId}/`;
const NOW = new Date('2026-11-28T06:00:05Z').getTime();

/** Recipients `r00`… in shards of three. */
function shards(count: number): DigestRecipient[][] {
  const result: DigestRecipient[][] = [];
  for (let i = 0; i < count; i += 1) {
    const shard = Math.floor(i / 3);
    result[shard] = [...(result[shard] ?? []), recipient(`r${String(i).padStart(2, '0')}`)];
  }
  return result;
}

function deps(store: ObjectStore, overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return {
    store,
    mailer: servers.mailer,
    roster: memoryRoster(shards(9)),
    variants: servers.variants,
    site: SITE,
    mailFrom: FROM,
    clock: () => new Date(NOW),
    sendRate: 500,
    log: () => {},
    ...overrides,
  };
}

async function countsByAddress(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const email of await servers.ses.emails()) {
    const to = email.destination.to[0] ?? '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

/** Stores a record as a dead writer could have left it. */
function plant(store: ConditionalStore, key: string, body: string, writtenAt = new Date(NOW)) {
  store.objects.set(key, {
    body: new TextEncoder().encode(body),
    etag: `"planted-${key}"`,
    lastModified: writtenAt,
  });
}

const UNREADABLE: [string, string][] = [
  ['empty', ''],
  ['truncated', '[{"id":"r00","status":"sent","messageId":"m'],
  ['not JSON', '\u0000\u0000\u0000'],
  ['JSON of another shape', '{"sent":["r00"]}'],
  ['a list with a foreign entry', '[{"id":"r00","status":"sent"},{"who":"r01"}]'],
];

describe('progress records that cannot be read', () => {
  it.each(UNREADABLE)(
    'a sent batch that is %s is quarantined, logged, and the run still reaches everyone',
    async (_name, body) => {
      const store = new ConditionalStore();
      const readable = JSON.stringify([{ id: 'r01', status: 'sent', messageId: 'x' }]);
      plant(store, `${PREFIX}sent/s00/dead-000001.json`, body);
      plant(store, `${PREFIX}sent/s00/dead-000002.json`, readable);
      const log: LogEntry[] = [];
      const result = await deliver(JOB, deps(store, { log: (entry) => log.push(entry) }));

      expect(result).toMatchObject({ status: 'done', sent: 8, alreadySent: 1 });
      const counts = await countsByAddress();
      // r01's readable record holds; r00's record is unknown, so r00 may get its one duplicate now.
      expect(counts.has('r01@example.org')).toBe(false);
      expect(counts.get('r00@example.org')).toBe(1);
      expect(counts.size).toBe(8);
      expect(log.filter((entry) => entry.event === 'digest.record-unreadable')).toEqual([
        expect.objectContaining({ level: 'warn', key: `${PREFIX}sent/s00/dead-000001.json` }),
      ]);
      const aside = store.objects.get(`${PREFIX}quarantine/sent/s00/dead-000001.json`);
      expect(new TextDecoder().decode(aside?.body)).toBe(body);
      expect(store.objects.has(`${PREFIX}sent/s00/dead-000001.json`)).toBe(false);

      // Reported once: the next invocation finds the run done and logs nothing.
      log.length = 0;
      expect((await deliver(JOB, deps(store, { log: (entry) => log.push(entry) }))).status).toBe(
        'already-done',
      );
      expect(log).toEqual([]);
    },
  );

  it.each(UNREADABLE)(
    'a done or shard marker that is %s counts as absent: the run is finished from its records',
    async (_name, body) => {
      const store = new ConditionalStore();
      const first = await deliver(JOB, deps(store));
      expect(first).toMatchObject({ status: 'done', sent: 9 });
      plant(store, `${PREFIX}done.json`, body);
      plant(store, `${PREFIX}shards/s01.json`, body);
      const log: LogEntry[] = [];
      const again = await deliver(JOB, deps(store, { log: (entry) => log.push(entry) }));
      expect(again).toMatchObject({ status: 'done', sent: 0, alreadySent: 3 });
      expect((await countsByAddress()).size).toBe(9);
      expect([...(await countsByAddress()).values()].every((n) => n === 1)).toBe(true);
      expect(log.map((entry) => entry.key).sort()).toEqual([
        `${PREFIX}done.json`,
        `${PREFIX}shards/s01.json`,
      ]);
      expect(await new RunProgress(store, JOB.runId).done()).toMatchObject({ sent: 0 });
    },
  );

  it('an unreadable lease is held for one lease time from when it was written, then taken over', async () => {
    const store = new ConditionalStore();
    plant(store, `${PREFIX}lease.json`, '', new Date(NOW - 30_000));
    let now = NOW;
    const log: LogEntry[] = [];
    const options = deps(store, {
      clock: () => new Date(now),
      leaseMs: 60_000,
      log: (e) => log.push(e),
    });
    const busy = await deliver(JOB, options);
    // Possibly a live holder's write in progress: wait out its 60 s from when it was stored.
    expect(busy).toMatchObject({ status: 'busy', sent: 0, retryAfterMs: 30_000 });
    expect(log).toContainEqual(expect.objectContaining({ event: 'digest.record-unreadable' }));
    expect(store.objects.has(`${PREFIX}quarantine/lease.json`)).toBe(true);

    now += 30_001;
    expect(await deliver(JOB, options)).toMatchObject({ status: 'done', sent: 9 });
    expect((await countsByAddress()).size).toBe(9);
  });
});

describe('two runs with the same id', () => {
  it('on s3rver (conditions enforced by the local stack) only one of 25 simultaneous runs sends', async () => {
    const store = await freshBucket(servers.s3, 'same-run');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        deliver(JOB, deps(store, { owner: `invocation-${i}`, clock: () => new Date() })),
      ),
    );
    const senders = results.filter((result) => result.sent > 0);
    expect(senders).toHaveLength(1);
    expect(results.filter((result) => result.status === 'busy')).toHaveLength(24);
    const counts = await countsByAddress();
    expect(counts.size).toBe(9);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('the local s3rver after a writer is killed mid-upload', () => {
  it('lets the key go: the next conditional write and read of it are answered', async () => {
    const store = await freshBucket(servers.s3, 'torn');
    const key = `${PREFIX}lease.json`;
    // A signed PUT announcing 1,000 bytes whose sender dies after 10, as a SIGKILLed process would.
    const body = new Readable({ read() {} });
    body.push('0123456789');
    const abort = new AbortController();
    const dying = createS3Client({
      endpoint: servers.s3.endpoint,
      credentials: S3RVER_CREDENTIALS,
    });
    const upload = dying
      .send(
        new PutObjectCommand({
          Bucket: store.bucket,
          Key: key,
          Body: body,
          ContentLength: 1000,
          IfNoneMatch: '*',
        }),
        { abortSignal: abort.signal },
      )
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await upload;
    // The process is gone: so is its connection.
    dying.destroy();
    const started = performance.now();
    await store.put(key, '{"owner":"next","expiresAt":"2026-11-28T06:01:00.000Z"}');
    expect(new TextDecoder().decode((await store.get(key))?.body)).toContain('"next"');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('the never-twice bound is reached, not exceeded', () => {
  it('a crash while records are stuck repeats exactly maxUnrecorded messages', async () => {
    const store = new ConditionalStore();
    const maxUnrecorded = 4;
    // Progress writes hang (S3 slow) and the process dies once SES has accepted what it may.
    let accepted = 0;
    let crashed: () => void = () => {};
    const dead = new Promise<void>((resolve) => {
      crashed = resolve;
    });
    store.beforePut = async (key) => {
      if (key.includes('/sent/')) await new Promise(() => {});
    };
    const counting: Mailer = {
      async send(mail) {
        const sent = await servers.mailer.send(mail);
        accepted += 1;
        if (accepted === maxUnrecorded) crashed();
        return sent;
      },
    };
    const first = deliver(
      JOB,
      deps(store, { mailer: counting, concurrency: 8, maxUnrecorded, leaseMs: 1000 }),
    );
    await dead;
    // Give the blocked workers every chance to send more than the bound allows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(accepted).toBe(maxUnrecorded);
    void first;

    store.beforePut = undefined;
    const resumed = await deliver(
      JOB,
      deps(store, { clock: () => new Date(NOW + 2000), owner: 'after-crash' }),
    );
    expect(resumed).toMatchObject({ status: 'done', sent: 9 });
    const counts = await countsByAddress();
    const repeats = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(counts.size).toBe(9);
    expect(repeats).toBe(maxUnrecorded);
  });
});
