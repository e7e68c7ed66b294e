import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DeliveryJob, deliver } from '../../src/digest/deliver.js';
import type { DigestRecipient } from '../../src/digest/types.js';
import type { Mailer, ObjectStore } from '../../src/shared/ports.js';
import { freshBucket } from '../support/s3.js';
import { FROM, memoryRoster, recipient, release, SITE } from './fixtures.js';
import { mailServers } from './mail-servers.js';

const servers = mailServers();

const JOB: DeliveryJob = {
  runId: 'weekly-2026-11-23',
  kind: 'weekly',
  releases: [release('a', '2026-11-20T10:00:00Z'), release('b', '2026-11-21T10:00:00Z')],
  slot: new Date('2026-11-23T06:00:00Z'),
};

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/**
 * The process dies at its `crashAt`-th send, just before SES gets the message or just after SES
 * accepted it: from then on every request it makes fails, as if it no longer existed.
 */
function crashingProcess(store: ObjectStore, crashAt: number, afterAccept: boolean) {
  let sends = 0;
  let dead = false;
  const accepted: string[] = [];
  const alive = () => {
    if (dead) throw new SimulatedCrash();
  };
  const mailer: Mailer = {
    async send(mail) {
      alive();
      sends += 1;
      if (sends === crashAt && !afterAccept) {
        dead = true;
        throw new SimulatedCrash();
      }
      const result = await servers.mailer.send(mail);
      accepted.push(mail.to[0] ?? '');
      if (sends === crashAt) dead = true;
      alive();
      return result;
    },
  };
  const dying: ObjectStore = {
    async get(key) {
      alive();
      return store.get(key);
    },
    async put(key, body, options) {
      alive();
      return store.put(key, body, options);
    },
    async delete(key) {
      alive();
      return store.delete(key);
    },
    async *list(prefix) {
      alive();
      yield* store.list(prefix);
    },
  };
  return { mailer, store: dying, accepted, crashed: () => dead };
}

/** Every recipient address recorded as sent in the run's progress. */
async function recordedAddresses(store: ObjectStore, runId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const object of store.list(`digests/${runId}/sent/`)) {
    const body = await store.get(object.key);
    for (const record of JSON.parse(new TextDecoder().decode(body?.body)) as { id: string }[]) {
      ids.add(`${record.id}@example.org`);
    }
  }
  return ids;
}

describe('crash and resume', () => {
  it('sends every recipient exactly once, except one extra per crash between SES and the record', async () => {
    const scenario = fc.record({
      recipients: fc.integer({ min: 4, max: 14 }),
      perShard: fc.integer({ min: 1, max: 5 }),
      concurrency: fc.integer({ min: 1, max: 4 }),
      crashes: fc.array(
        fc.record({ at: fc.integer({ min: 1, max: 10 }), afterAccept: fc.boolean() }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ recipients, perShard, concurrency, crashes }) => {
        await servers.ses.clear();
        const store = await freshBucket(servers.s3, 'crash');
        const shards: DigestRecipient[][] = [];
        for (let i = 0; i < recipients; i += 1) {
          const shard = Math.floor(i / perShard);
          shards[shard] = [...(shards[shard] ?? []), recipient(`c${i}`)];
        }
        let now = new Date('2026-11-23T06:00:10Z').getTime();
        const base = {
          roster: memoryRoster(shards),
          variants: servers.variants,
          site: SITE,
          mailFrom: FROM,
          clock: () => new Date(now),
          sendRate: 1000,
          concurrency,
          leaseMs: 60_000,
        };
        // Expected copies per address: one, plus one for each crash that caught it accepted by
        // SES but not yet recorded.
        const expected = new Map<string, number>();
        for (const [index, crash] of crashes.entries()) {
          const process = crashingProcess(store, crash.at, crash.afterAccept);
          const outcome = await deliver(JOB, {
            ...base,
            store: process.store,
            mailer: process.mailer,
            owner: `crashing-${index}`,
          }).catch((error: unknown) => error);
          if (!process.crashed()) {
            expect(outcome).toMatchObject({ status: expect.stringMatching(/done/) });
            continue;
          }
          const recorded = await recordedAddresses(store, JOB.runId);
          const lost = process.accepted.filter((address) => !recorded.has(address));
          for (const address of lost) expected.set(address, (expected.get(address) ?? 0) + 1);
          // The crashed process never released its lease: the restart waits for it to expire.
          now += 61_000;
        }
        const final = await deliver(JOB, {
          ...base,
          store,
          mailer: servers.mailer,
          owner: 'final',
        });
        expect(['done', 'already-done']).toContain(final.status);

        const counts = new Map<string, number>();
        for (const email of await servers.ses.emails()) {
          expect(email.destination.to).toHaveLength(1);
          const to = email.destination.to[0] ?? '';
          counts.set(to, (counts.get(to) ?? 0) + 1);
        }
        expect(counts.size).toBe(recipients);
        for (const [address, count] of counts) {
          expect(count, address).toBe(1 + (expected.get(address) ?? 0));
        }
      }),
      { seed: 20261128, numRuns: 12, endOnFailure: true },
    );
  });
});
