import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/shared/ports.js';
import { CHILD_JOB, childAddress, type DigestChildInput } from '../support/digest-child.js';
import { mulberry32 } from '../support/random.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';

const RECIPIENTS = 24;
const MAX_UNRECORDED = 3;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

let s3: LocalS3;
let ses: LocalSes;
let work: string;
let bundle: string;
const totals = { seeds: 0, kills: 0, sent: 0, repeats: 0, missed: 0 };

beforeAll(async () => {
  [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
  work = await mkdtemp(join(tmpdir(), 'digest-kill-'));
  bundle = join(work, 'child.mjs');
  await build({
    entryPoints: [new URL('../support/digest-child.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    external: ['mjml', 'typescript'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
}, 60_000);

afterAll(async () => {
  console.log(`digest-kill: ${JSON.stringify(totals)}`);
  await Promise.all([s3?.stop(), ses?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Starts a child; with `killAfter`, SIGKILLs it once it has announced that many events (messages
 * accepted by SES, progress writes started). Resolves when it is gone, saying whether it finished.
 */
function runChild(input: DigestChildInput, killAfter?: number): Promise<{ finished: boolean }> {
  const child: ChildProcess = spawn(process.execPath, [bundle], {
    env: { ...process.env, DIGEST_CHILD: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let events = 0;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    events = output.split('\n').filter((line) => line === 'sent' || line === 'put').length;
    if (killAfter !== undefined && events >= killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const finished = code === 0 && signal === null && /"status":"(already-)?done"/.test(output);
      if (!finished && signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${output}`));
      resolve({ finished });
    });
  });
}

async function sesCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const email of await ses.emails()) {
    const to = email.destination.to[0] ?? '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

/** Addresses with a readable `sent` record (what the next child will skip). */
async function recorded(store: ObjectStore): Promise<Set<string>> {
  const addresses = new Set<string>();
  for await (const object of store.list(`digests/${CHILD_JOB.runId}/sent/`)) {
    const body = await store.get(object.key);
    try {
      const records = JSON.parse(new TextDecoder().decode(body?.body)) as { id: string }[];
      for (const record of records) addresses.add(`${record.id}@example.org`);
    } catch {
      // Torn by the kill: unknown, so its recipients will be sent to again.
    }
  }
  return addresses;
}

describe('send-digest processes SIGKILLed at random points', () => {
  it.each(SEEDS)(
    'seed %i: nobody missed; repeats exactly those caught unrecorded, at most 3 per kill',
    async (seed) => {
      const random = mulberry32(seed);
      await ses.clear();
      const store = await freshBucket(s3, `kill-${seed}`);
      const input = (owner: string): DigestChildInput => ({
        s3Endpoint: s3.endpoint,
        bucket: (store as unknown as { bucket: string }).bucket,
        sesEndpoint: ses.endpoint,
        recipients: RECIPIENTS,
        perShard: 5,
        owner,
        leaseMs: 400,
        concurrency: 4,
        maxUnrecorded: MAX_UNRECORDED,
      });
      const expected = new Map<string, number>();
      let before = new Map<string, number>();
      let kills = 0;
      const attempts = 1 + Math.floor(random() * 3);
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const killAfter = 1 + Math.floor(random() * 40);
        const { finished } = await runChild(input(`killed-${attempt}`), killAfter);
        if (finished) break;
        kills += 1;
        // Let requests the child completed just before dying land, as they would in AWS.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const now = await sesCounts();
        const kept = await recorded(store);
        for (const [address, count] of now) {
          const fresh = count - (before.get(address) ?? 0);
          if (fresh > 0 && !kept.has(address))
            expected.set(address, (expected.get(address) ?? 0) + fresh);
        }
        before = now;
      }
      expect((await runChild(input('clean'))).finished).toBe(true);

      const counts = await sesCounts();
      const missed = Array.from({ length: RECIPIENTS }, (_, i) => childAddress(i)).filter(
        (address) => !counts.has(address),
      );
      expect(missed).toEqual([]);
      for (const [address, count] of counts) {
        expect({ address, count }).toEqual({ address, count: 1 + (expected.get(address) ?? 0) });
      }
      const repeats = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
      expect(repeats).toBeLessThanOrEqual(kills * MAX_UNRECORDED);
      totals.seeds += 1;
      totals.kills += kills;
      totals.sent += [...counts.values()].reduce((sum, n) => sum + n, 0);
      totals.repeats += repeats;
      totals.missed += missed.length;
    },
    30_000,
  );
});
