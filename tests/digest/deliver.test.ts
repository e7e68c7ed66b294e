import { SESServiceException } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { type DeliveryDeps, type DeliveryJob, deliver } from '../../src/digest/deliver.js';
import { RunProgress } from '../../src/digest/progress.js';
import type { DigestRecipient } from '../../src/digest/types.js';
import { MailSendError } from '../../src/mail/ses-mailer.js';
import type { Mailer, ObjectStore, OutgoingMail } from '../../src/shared/ports.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { freshBucket } from '../support/s3.js';
import { FROM, memoryRoster, recipient, release, SITE } from './fixtures.js';
import { mailServers } from './mail-servers.js';

const servers = mailServers({ clearMailBetweenTests: true });

const JOB: DeliveryJob = {
  runId: 'daily-2026-11-28',
  kind: 'daily',
  releases: [
    release('uimahalli', '2026-11-27T10:15:00Z'),
    release('blogi', '2026-11-27T12:00:00Z', { category: 'Blogi', categorySlug: 'blogi' }),
    release('simhall', '2026-11-27T14:30:00Z', { lang: 'sv' }),
  ],
  slot: new Date('2026-11-28T06:00:00Z'),
};

/** `count` recipients in shards of `perShard`, alternating languages. */
function roster(count: number, perShard: number): DigestRecipient[][] {
  const shards: DigestRecipient[][] = [];
  for (let i = 0; i < count; i += 1) {
    const langs = ['fi', 'sv', 'en'] as const;
    const lang = langs[i % 3] ?? 'fi';
    const shard = Math.floor(i / perShard);
    shards[shard] ??= [];
    shards[shard].push(recipient(`r${String(i).padStart(3, '0')}`, { lang }));
  }
  return shards;
}

class FakeClock {
  constructor(public now = new Date('2026-11-28T06:00:05Z').getTime()) {}
  readonly clock = () => new Date(this.now);
  advance(ms: number) {
    this.now += ms;
  }
}

function deps(store: ObjectStore, overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return {
    store,
    mailer: servers.mailer,
    roster: memoryRoster(roster(6, 3)),
    variants: servers.variants,
    site: SITE,
    mailFrom: FROM,
    clock: new FakeClock().clock,
    sendRate: 500,
    retry: { attempts: 6, baseMs: 2, capMs: 20 },
    ...overrides,
  };
}

/** Messages per recipient address in the local SES store. */
async function countsByAddress(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const email of await servers.ses.emails()) {
    expect(email.destination.to).toHaveLength(1);
    const to = email.destination.to[0] ?? '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

/** An SES SDK error as the SDK throws it, wrapped the way the SES mailer wraps it. */
function sesError(name: string, message: string, status: number): MailSendError {
  const cause = new SESServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
  return new MailSendError(`SES SendRawEmail failed: ${name}`, { cause });
}

/** A mailer that fails with `error` for the first `times` calls (or for `when`), then sends. */
function faultyMailer(
  error: () => Error,
  options: { times?: number; when?: (mail: OutgoingMail) => boolean },
): Mailer & { failures: number } {
  const mailer = {
    failures: 0,
    async send(mail: OutgoingMail) {
      const fail = options.when ? options.when(mail) : mailer.failures < (options.times ?? 0);
      if (fail) {
        mailer.failures += 1;
        throw error();
      }
      return servers.mailer.send(mail);
    },
  };
  return mailer;
}

describe('deliver', () => {
  it('sends one message per recipient to the local SES endpoint, then never again', async () => {
    const store = await freshBucket(servers.s3, 'digest');
    const shards = roster(5, 2);
    shards[1]?.push(recipient('nothing', { categories: ['kuulutus'] }));
    const first = await deliver(JOB, deps(store, { roster: memoryRoster(shards) }));
    expect(first).toMatchObject({ status: 'done', sent: 5, rejected: 0, nothingNew: 1 });

    const counts = await countsByAddress();
    expect(counts.size).toBe(5);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.has('nothing@example.org')).toBe(false);
    const subjects = (await servers.ses.emails()).map((e) => e.subject).sort();
    expect(subjects).toContain('Esimerkkilä: päivän tiedotteet 28.11.2026');
    expect(subjects).toContain('Esimerkkilä: dagens pressmeddelanden 28.11.2026');
    expect(subjects).toContain("Esimerkkilä: today's press releases, 28 November 2026");

    const again = await deliver(JOB, deps(store, { roster: memoryRoster(shards) }));
    expect(again.status).toBe('already-done');
    expect((await servers.ses.emails()).length).toBe(5);
    expect(await new RunProgress(store, JOB.runId).done()).toMatchObject({ sent: 5 });
  });

  it('builds MIME with one-click list headers, one recipient, the right language and both parts', async () => {
    const sent: OutgoingMail[] = [];
    const recording: Mailer = {
      send: async (mail) => {
        sent.push(mail);
        return servers.mailer.send(mail);
      },
    };
    const shards = [
      [recipient('anna', { lang: 'sv' }), recipient('ben', { lang: 'en', languages: ['fi'] })],
    ];
    await deliver(
      JOB,
      deps(new ConditionalStore(), { mailer: recording, roster: memoryRoster(shards) }),
    );
    expect(sent).toHaveLength(2);
    const anna = sent.find((m) => m.to[0] === 'anna@example.org');
    const parsed = await simpleParser(Buffer.from(anna?.raw ?? new Uint8Array()));
    const header = (name: string) =>
      parsed.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');
    expect(header('list-unsubscribe')).toBe(
      '<https://tiedotteet.example.fi/api/unsubscribe?token=tok-anna>',
    );
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // The whole name is one encoded word: "(daily)" outside it would be an RFC 5322 comment.
    expect(header('list-id')).toMatch(
      /^=\?UTF-8\?Q\?Esimerkkil=C3=A4_=28daily=29\?=\s+<daily\.tiedotteet\.example\.fi>$/,
    );
    expect(
      parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [],
    ).toEqual(['anna@example.org']);
    expect(parsed.cc).toBeUndefined();
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Esimerkkilä: dagens pressmeddelanden 28.11.2026');
    expect(parsed.text).toContain('Otsikko simhall');
    expect(parsed.html).toContain('Otsikko simhall');
    expect(parsed.messageId).toBe(
      '<daily-2026-11-28.anna@tiedotteet.example.fi>'.replace(
        'tiedotteet.example.fi',
        'example.fi',
      ),
    );
    // Ben reads English mail but asked for Finnish releases only.
    const ben = await simpleParser(
      Buffer.from(sent.find((m) => m.to[0] === 'ben@example.org')?.raw ?? []),
    );
    expect(ben.subject).toBe("Esimerkkilä: today's press releases, 28 November 2026");
    expect(ben.text).toContain('Otsikko uimahalli');
    expect(ben.text).not.toContain('Otsikko simhall');
  });

  it('retries Throttling and 5xx with backoff, and still sends each message once', async () => {
    const store = await freshBucket(servers.s3, 'digest');
    const throttled = faultyMailer(
      () => sesError('Throttling', 'Maximum sending rate exceeded.', 400),
      { times: 4 },
    );
    const result = await deliver(JOB, deps(store, { mailer: throttled, concurrency: 1 }));
    expect(throttled.failures).toBe(4);
    expect(result).toMatchObject({ status: 'done', sent: 6 });
    const counts = await countsByAddress();
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    await servers.ses.clear();
    const flaky = faultyMailer(() => sesError('InternalFailure', 'Service unavailable', 503), {
      times: 2,
    });
    const other = await deliver(
      { ...JOB, runId: 'daily-2026-11-29' },
      deps(store, { mailer: flaky }),
    );
    expect(other).toMatchObject({ status: 'done', sent: 6 });
    expect(flaky.failures).toBe(2);
  });

  it('pauses when throttling outlasts the retries, and the next invocation sends the rest', async () => {
    const store = await freshBucket(servers.s3, 'digest');
    const throttled = faultyMailer(
      () => sesError('Throttling', 'Maximum sending rate exceeded.', 400),
      {
        when: (mail) => mail.to[0] === 'r004@example.org',
      },
    );
    const paused = await deliver(JOB, deps(store, { mailer: throttled, concurrency: 1 }));
    expect(paused).toMatchObject({ status: 'paused', reason: 'transient', sent: 4 });
    const resumed = await deliver(JOB, deps(store, { concurrency: 1 }));
    // Shard s00 is finished (skipped unread); in s01 one recipient was already sent to.
    expect(resumed).toMatchObject({ status: 'done', sent: 2, alreadySent: 1 });
    const counts = await countsByAddress();
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('records a permanent rejection, skips it, and does not retry it on resume', async () => {
    const store = await freshBucket(servers.s3, 'digest');
    const rejecting = faultyMailer(
      () => sesError('MessageRejected', 'Email address is not verified: r001@example.org', 400),
      { when: (mail) => mail.to[0] === 'r001@example.org' },
    );
    const result = await deliver(JOB, deps(store, { mailer: rejecting }));
    expect(result).toMatchObject({ status: 'done', sent: 5, rejected: 1 });
    const records = await new RunProgress(store, JOB.runId).shardRecords('s00');
    expect(records.get('r001')).toMatchObject({ status: 'rejected' });
    expect(records.get('r001')?.error).toMatch(/^MessageRejected: /);
    expect(records.get('r001')?.error).not.toContain('@');
    expect((await countsByAddress()).has('r001@example.org')).toBe(false);
  });

  it("respects the daily quota: stops at the budget or at SES's quota error, continues later", async () => {
    const store = await freshBucket(servers.s3, 'digest');
    const first = await deliver(JOB, deps(store, { dailyBudget: 4, concurrency: 1 }));
    expect(first).toMatchObject({ status: 'paused', reason: 'quota', sent: 4 });
    expect(first.retryAfterMs).toBeGreaterThan(0);
    const exceeded = faultyMailer(
      () => sesError('Throttling', 'Daily message quota exceeded.', 400),
      { times: 1 },
    );
    const second = await deliver(JOB, deps(store, { mailer: exceeded, concurrency: 1 }));
    expect(second).toMatchObject({ status: 'paused', reason: 'quota', sent: 0 });
    const third = await deliver(JOB, deps(store));
    expect(third).toMatchObject({ status: 'done', sent: 2, alreadySent: 1 });
    const counts = await countsByAddress();
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops before the invocation runs out of time and continues in the next one', async () => {
    const store = await freshBucket(servers.s3, 'digest');
    let budget = 3;
    const mailer: Mailer = {
      send: async (mail) => {
        budget -= 1;
        return servers.mailer.send(mail);
      },
    };
    // "Time" left drops with every message: 3 messages fit before the margin.
    const first = await deliver(
      JOB,
      deps(store, {
        mailer,
        concurrency: 1,
        remainingMs: () => (budget > 0 ? 600_000 : 10_000),
        stopMarginMs: 60_000,
      }),
    );
    expect(first).toMatchObject({ status: 'paused', reason: 'time', sent: 3, retryAfterMs: 0 });
    const second = await deliver(JOB, deps(store, { remainingMs: () => 600_000 }));
    expect(second).toMatchObject({ status: 'done', sent: 3 });
    expect((await countsByAddress()).size).toBe(6);
  });

  it('lets only one of two concurrent runs of the same digest send', async () => {
    const store = new ConditionalStore();
    const [a, b] = await Promise.all([
      deliver(JOB, deps(store, { owner: 'invocation-a' })),
      deliver(JOB, deps(store, { owner: 'invocation-b' })),
    ]);
    expect([a.status, b.status].sort()).toEqual(['busy', 'done']);
    const busy = a.status === 'busy' ? a : b;
    expect(busy.sent).toBe(0);
    expect(busy.retryAfterMs).toBeGreaterThan(0);
    const counts = await countsByAddress();
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('takes over a run whose lease expired, and the stale holder stops at its next renewal', async () => {
    const store = new ConditionalStore();
    const clock = new FakeClock();
    // A first invocation took the lease and froze after sending to shard s00's first recipient.
    let frozen: () => void = () => {};
    const freeze = new Promise<void>((resolve) => {
      frozen = resolve;
    });
    let calls = 0;
    const stalling: Mailer = {
      send: async (mail) => {
        calls += 1;
        const sent = await servers.mailer.send(mail);
        if (calls === 1) await freeze;
        return sent;
      },
    };
    const stale = deliver(
      JOB,
      deps(store, {
        mailer: stalling,
        owner: 'stale',
        clock: clock.clock,
        concurrency: 1,
        leaseMs: 60_000,
      }),
    );
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(61_000);
    const fresh = await deliver(
      JOB,
      deps(store, { owner: 'fresh', clock: clock.clock, leaseMs: 60_000 }),
    );
    expect(fresh.status).toBe('done');
    frozen();
    const old = await stale;
    expect(old).toMatchObject({ status: 'paused', reason: 'lease-lost' });
    // The frozen invocation's message to r000 was accepted but not yet recorded when the run was
    // taken over: it is the one duplicate the documented bound allows. Everyone else got one.
    const counts = await countsByAddress();
    expect(counts.size).toBe(6);
    expect(counts.get('r000@example.org')).toBe(2);
    expect(
      [...counts.entries()].filter(([to]) => to !== 'r000@example.org').every(([, n]) => n === 1),
    ).toBe(true);
  });
});
