// Digest benchmark: personalization time, peak memory and send throughput, each next to the naive
// way (compile MJML per recipient). Run standalone: npx tsx bench/digest.ts
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { referenceDigestHtml } from '../scripts/precompile-mail.js';
import { deliver } from '../src/digest/deliver.js';
import { digestMailContent } from '../src/digest/message.js';
import { TokenBucket } from '../src/digest/pacing.js';
import { personalize, prepareIssue, releasesFor } from '../src/digest/render.js';
import {
  loadTemplateSource,
  prepareVariant,
  type TemplateSource,
  VariantCache,
} from '../src/digest/templates.js';
import type { DigestRecipient, Lang, RosterSource } from '../src/digest/types.js';
import { composeMail } from '../src/mail/compose.js';
import { createSesMailer } from '../src/mail/ses-mailer.js';
import type { Release } from '../src/release/types.js';
import type {
  Mailer,
  ObjectStore,
  ObjectSummary,
  PutOptions,
  StoredObject,
} from '../src/shared/ports.js';
import { nameBasedUrn } from '../src/shared/text.js';
import { BENCH_SITE as SITE } from './generate.js';

const FROM = { name: 'Esimerkkilä', address: 'tiedotteet@example.fi' };
const LANGS: Lang[] = ['fi', 'sv', 'en'];
const CATEGORIES = ['tiedote', 'blogi', 'uutinen', 'kuulutus'];
const SLOT = new Date('2026-11-28T06:00:00Z');

export interface DigestBench {
  recipients: number;
  releases: number;
  /** MJML compilations in a run (none: precompiled at build time), against one per recipient. */
  mjmlCompiles: { ours: number; naive: number };
  /** Rendering every recipient's HTML and text (the naive figure extrapolated from `naiveSample`). */
  personalizationMs: { ours: number; naive: number; naiveSample: number; ratio: number };
  /** MIME encoding (the mail module's composeMail) of one digest, averaged over 200 messages. */
  composeMsPerMessage: number;
  /**
   * Peak RSS of whole delivery runs (streamed roster, per-recipient rendering, progress records; MIME
   * encoding left out, see composeMsPerMessage) at a tenth of `recipients` and at `recipients`: flat
   * memory means these two are close. The naive figure renders `naiveSample` recipients.
   */
  peakRssMb: { oursTenth: number; ours: number; naive: number; naiveSample: number; ratio: number };
  fullRun: { ms: number; checkpointWrites: number };
  throughput: {
    configuredRate: number;
    seconds: number;
    sent: number;
    ours: number;
    oursFraction: number;
    naive: number;
    naiveFraction: number;
    naiveSample: number;
    ratio: number;
  };
}

/** The week's releases: 10 a day over 3 languages and 4 categories (also used by bench/mime.ts). */
export function releases(count: number): Release[] {
  return Array.from({ length: count }, (_, i) => {
    const slug = `tiedote-${i}`;
    return {
      id: nameBasedUrn(`tiedotteet.example.fi:${slug}.md`),
      sourcePath: `2026/${slug}.md`,
      slug,
      title: `Kaupunginhallitus päätti asiasta numero ${i} ja muusta tärkeästä`,
      category: CATEGORIES[i % 4] ?? 'tiedote',
      categorySlug: CATEGORIES[i % 4] ?? 'tiedote',
      lang: LANGS[i % 3] ?? 'fi',
      published: new Date(SLOT.getTime() - (i + 1) * 3_600_000),
      tags: [],
      summary:
        'Kaupunginhallitus käsitteli kokouksessaan useita asioita, joista tärkein koski keskustan liikennejärjestelyjä ensi kesänä.',
      contentHtml: '<p>Sisältö.</p>',
      url: `${SITE.siteUrl}/releases/${slug}.html`,
      ...(i % 5 === 0 ? { image: `${SITE.siteUrl}/kuvat/${slug}.jpg` } : {}),
    };
  });
}

export function recipientAt(i: number): DigestRecipient {
  const lang = LANGS[i % 3] ?? 'fi';
  return {
    id: `bench${String(i).padStart(7, '0')}`,
    email: `asukas${i}@example.org`,
    lang,
    categories: i % 2 === 0 ? [] : [CATEGORIES[i % 4] ?? 'tiedote'],
    languages: [lang],
    unsubscribeUrl: `${SITE.siteUrl}/api/unsubscribe?token=${'t'.repeat(72)}${i}`,
    preferencesUrl: `${SITE.siteUrl}/api/preferences?token=${'t'.repeat(72)}${i}`,
  };
}

/** `count` recipients in 64 shards, generated as they are read (nothing held in memory). */
function generatedRoster(count: number, from = 0): RosterSource {
  const shards = 64;
  return {
    async *shards() {
      for (let shard = 0; shard < shards; shard += 1) {
        yield {
          id: shard.toString(16).padStart(2, '0'),
          async *recipients() {
            for (let i = from + shard; i < from + count; i += shards) yield recipientAt(i);
          },
        };
      }
    },
  };
}

/**
 * An in-memory store for the run's progress. Progress records (`sent/`) are S3's memory, not the
 * sender's: they are counted and dropped, so the measured memory is the sender's own.
 */
class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  #etag = 0;
  async get(key: string) {
    return this.objects.get(key);
  }
  async put(key: string, body: Uint8Array | string, _options?: PutOptions) {
    this.#etag += 1;
    const etag = `"${this.#etag}"`;
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    if (!key.includes('/sent/')) this.objects.set(key, { body: bytes, etag });
    return { etag };
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    for (const [key, object] of [...this.objects].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (key.startsWith(prefix)) yield { key, etag: object.etag, size: object.body.byteLength };
    }
  }
}

/** The naive way: MJML compiled for every recipient, with their releases. */
async function naiveRender(source: TemplateSource, recipient: DigestRecipient, all: Release[]) {
  const site = { title: SITE.title, url: SITE.siteUrl };
  const fresh = await referenceDigestHtml('digest', recipient.lang, 'daily', site);
  const html = { ...source.html, digest: { ...source.html.digest, [recipient.lang]: fresh } };
  const variant = prepareVariant({ ...source, html }, SITE, 'daily', recipient.lang);
  const issue = prepareIssue(variant, all, SITE, SLOT);
  return personalize(issue, recipient, releasesFor(recipient, all));
}

/** aws-ses-v2-local in its own process on loopback, so its MIME parsing does not steal our CPU. */
async function startSes(): Promise<{ endpoint: string; stop: () => void }> {
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const cli = fileURLToPath(
    new URL('../node_modules/aws-ses-v2-local/dist/cli.js', import.meta.url),
  );
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    const up = await fetch(`${endpoint}/health-check`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (attempt > 100) throw new Error('aws-ses-v2-local did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, stop: () => child.kill() };
}

/**
 * Runs the digest benchmark: `recipients` (100,000) through the real delivery code to a mailer
 * that accepts instantly (compiles, personalization, memory), then `seconds` (10) of sending to
 * aws-ses-v2-local on loopback at `rate` (50/s). The naive way is measured on `sample` (200)
 * recipients and extrapolated.
 */
export async function benchDigest(
  options: {
    recipients?: number;
    releaseCount?: number;
    rate?: number;
    seconds?: number;
    sample?: number;
  } = {},
): Promise<DigestBench> {
  const recipients = options.recipients ?? 100_000;
  const releaseCount = options.releaseCount ?? 30;
  const rate = options.rate ?? 50;
  const seconds = options.seconds ?? 10;
  const sample = options.sample ?? 200;
  const source = await loadTemplateSource();
  const all = releases(releaseCount);

  // 1. Personalization: the per-recipient work of a run, without I/O.
  await naiveRender(source, recipientAt(0), all); // warm mjml's module load out of the naive timing
  const cache = new VariantCache(source, SITE);
  const started = performance.now();
  const issues = new Map<Lang, ReturnType<typeof prepareIssue>>();
  for (const lang of LANGS)
    issues.set(lang, prepareIssue(await cache.variant('daily', lang), all, SITE, SLOT));
  let bytes = 0;
  for (let i = 0; i < recipients; i += 1) {
    const recipient = recipientAt(i);
    const issue = issues.get(recipient.lang);
    if (!issue) continue;
    bytes += personalize(issue, recipient, releasesFor(recipient, all)).html.length;
  }
  const oursMs = performance.now() - started;
  if (bytes === 0) throw new Error('nothing rendered');

  const t0 = performance.now();
  for (let i = 0; i < sample; i += 1) await naiveRender(source, recipientAt(i), all);
  const naiveMs = ((performance.now() - t0) / sample) * recipients;
  const naive = await childRun(sample, releaseCount, true);

  // 2. MIME encoding of real digests, per message.
  const issue = issues.get('fi');
  if (!issue) throw new Error('no issue');
  const mails = Array.from({ length: 200 }, (_, i) => {
    const recipient = recipientAt(i * 3);
    const mail = personalize(issue, recipient, releasesFor(recipient, all));
    return digestMailContent({
      site: SITE,
      from: FROM,
      kind: 'daily',
      runId: 'bench',
      recipient,
      mail,
      date: SLOT,
    });
  });
  const c0 = performance.now();
  for (const content of mails) await composeMail(content);
  const composeMsPerMessage = (performance.now() - c0) / mails.length;

  // 3. Whole runs through deliver(), each in a fresh process so its peak RSS is its own.
  const tenth = await childRun(Math.ceil(recipients / 10), releaseCount);
  const full = await childRun(recipients, releaseCount);

  // 4. Throughput against aws-ses-v2-local at the configured rate, for `seconds`.
  const ses = await startSes();
  try {
    const mailer = createSesMailer({ endpoint: ses.endpoint });
    const sends: number[] = [];
    const timed: Mailer = {
      send: async (mail) => {
        const out = await mailer.send(mail);
        sends.push(performance.now());
        return out;
      },
    };
    let deadline = Number.POSITIVE_INFINITY;
    // A typical daily digest: two releases in each language.
    const daily = all.slice(0, 6);
    await deliver(
      { runId: 'daily-throughput', kind: 'daily', releases: daily, slot: SLOT },
      {
        store: new MemoryStore(),
        mailer: timed,
        roster: generatedRoster(rate * seconds * 2, 1_000_000),
        variants: cache,
        site: SITE,
        mailFrom: FROM,
        clock: () => new Date(),
        sendRate: rate,
        // The measured period starts at the first accepted message and lasts `seconds`.
        remainingMs: () => {
          if (sends[0] !== undefined) deadline = Math.min(deadline, sends[0] + seconds * 1000);
          return deadline - performance.now();
        },
        stopMarginMs: 1,
      },
    );
    const first = sends[0] ?? 0;
    const inWindow = sends.filter((t) => t <= first + seconds * 1000).length;
    const ours = (inWindow - 1) / seconds;

    // The naive way at the same rate and concurrency: compile MJML for each recipient, then send.
    const bucket = new TokenBucket(rate);
    const naiveSends: number[] = [];
    const queue = Array.from({ length: sample }, (_, i) => recipientAt(2_000_000 + i));
    await Promise.all(
      Array.from({ length: Math.max(2, Math.ceil(rate / 5)) }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const mail = await naiveRender(source, r, daily);
          const content = digestMailContent({
            site: SITE,
            from: FROM,
            kind: 'daily',
            runId: 'naive',
            recipient: r,
            mail,
            date: SLOT,
          });
          const { raw } = await composeMail(content);
          await bucket.take();
          await mailer.send({ raw, from: FROM.address, to: [r.email] });
          naiveSends.push(performance.now());
        }
      }),
    );
    const naiveFirst = Math.min(...naiveSends);
    const naiveRate = (naiveSends.length - 1) / ((Math.max(...naiveSends) - naiveFirst) / 1000);
    return {
      recipients,
      releases: releaseCount,
      // No function bundle contains mjml (the bundles section checks it): nothing to compile.
      mjmlCompiles: { ours: 0, naive: recipients },
      personalizationMs: {
        ours: oursMs,
        naive: naiveMs,
        naiveSample: sample,
        ratio: naiveMs / oursMs,
      },
      composeMsPerMessage,
      peakRssMb: {
        oursTenth: tenth.maxRssMb,
        ours: full.maxRssMb,
        naive: naive.maxRssMb,
        naiveSample: sample,
        ratio: naive.maxRssMb / full.maxRssMb,
      },
      fullRun: { ms: full.ms, checkpointWrites: full.writes },
      throughput: {
        configuredRate: rate,
        seconds,
        sent: inWindow,
        ours,
        oursFraction: ours / rate,
        naive: naiveRate,
        naiveFraction: naiveRate / rate,
        naiveSample: sample,
        ratio: ours / naiveRate,
      },
    };
  } finally {
    ses.stop();
  }
}

interface ChildRun {
  ms: number;
  maxRssMb: number;
  writes: number;
}

/** One whole delivery run (or the naive rendering) of `count` recipients in a child process. */
function childRun(count: number, releaseCount: number, naive = false): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        naive ? '--child-naive' : '--child',
        String(count),
        String(releaseCount),
      ],
      { maxBuffer: 1 << 20 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as ChildRun)),
    );
  });
}

/**
 * A delivery run through the real code (streamed roster, rendering, progress records, lease) to a
 * mailer that accepts at once; MIME encoding is replaced by plain concatenation because its cost
 * is measured on its own (composeMsPerMessage) and would only make this run 20 times longer.
 */
async function runInChild(count: number, releaseCount: number): Promise<ChildRun> {
  const cache = new VariantCache(await loadTemplateSource(), SITE);
  const t0 = performance.now();
  const result = await deliver(
    { runId: 'daily-bench', kind: 'daily', releases: releases(releaseCount), slot: SLOT },
    {
      store: new MemoryStore(),
      mailer: { send: async () => ({ messageId: 'bench' }) },
      compose: async (content) => ({
        raw: new TextEncoder().encode(content.html + content.text),
        messageId: '<bench@example.fi>',
      }),
      roster: generatedRoster(count),
      variants: cache,
      site: SITE,
      mailFrom: FROM,
      clock: () => new Date(),
      sendRate: 1e9,
      concurrency: 64,
    },
  );
  if (result.status !== 'done') throw new Error(`run ended ${result.status}`);
  return {
    ms: performance.now() - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    writes: result.checkpointWrites,
  };
}

/** The naive way for `count` recipients: MJML compiled for each, then rendered. */
async function naiveInChild(count: number, releaseCount: number): Promise<ChildRun> {
  const source = await loadTemplateSource();
  const all = releases(releaseCount);
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) await naiveRender(source, recipientAt(i), all);
  return { ms: performance.now() - t0, maxRssMb: process.resourceUsage().maxRSS / 1024, writes: 0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [flag, count, releaseCount] = process.argv.slice(2);
  if (flag === '--child') {
    process.stdout.write(JSON.stringify(await runInChild(Number(count), Number(releaseCount))));
  } else if (flag === '--child-naive') {
    process.stdout.write(JSON.stringify(await naiveInChild(Number(count), Number(releaseCount))));
  } else {
    const result = await benchDigest();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
}
