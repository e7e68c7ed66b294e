/**
 * A digest-sending process for the SIGKILL crash test (tests/faults/digest-kill.test.ts), bundled
 * by the test with esbuild and started as a real child process. It runs `deliver()` against the
 * test's s3rver and aws-ses-v2-local, announces on stdout every message SES accepted and every
 * progress write it starts (so the parent can kill it at a chosen point), waits out a lease held
 * by a killed predecessor, and prints its result as the last line.
 */
import { createS3Client, S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { deliver } from '../../src/digest/deliver.js';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import { createSesMailer } from '../../src/mail/ses-mailer.js';
import type { Mailer, ObjectStore } from '../../src/shared/ports.js';
import { FROM, memoryRoster, recipient, release, SITE } from '../digest/fixtures.js';

/** What the parent passes in `DIGEST_CHILD` (JSON). */
export interface DigestChildInput {
  s3Endpoint: string;
  bucket: string;
  sesEndpoint: string;
  recipients: number;
  perShard: number;
  owner: string;
  leaseMs: number;
  concurrency: number;
  maxUnrecorded: number;
}

export const CHILD_JOB = {
  runId: 'daily-2026-11-28',
  kind: 'daily' as const,
  releases: [release('uimahalli', '2026-11-27T10:15:00Z')],
  slot: new Date('2026-11-28T06:00:00Z'),
};

/** The address of recipient `index`. */
export function childAddress(index: number): string {
  return `k${String(index).padStart(3, '0')}@example.org`;
}

function roster(input: DigestChildInput) {
  const shards: ReturnType<typeof recipient>[][] = [];
  for (let i = 0; i < input.recipients; i += 1) {
    const shard = Math.floor(i / input.perShard);
    shards[shard] = [...(shards[shard] ?? []), recipient(childAddress(i).replace(/@.*/, ''))];
  }
  return memoryRoster(shards);
}

function announced(store: ObjectStore, mailer: Mailer): { store: ObjectStore; mailer: Mailer } {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  return {
    store: {
      get: (key) => store.get(key),
      delete: (key) => store.delete(key),
      list: (prefix) => store.list(prefix),
      put: (key, body, options) => {
        say('put');
        return store.put(key, body, options);
      },
    },
    mailer: {
      async send(mail) {
        const sent = await mailer.send(mail);
        say('sent');
        return sent;
      },
    },
  };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.DIGEST_CHILD ?? '') as DigestChildInput;
  // The templates are precompiled (templates/compiled/): a child starts without mjml.
  const variants = new VariantCache(loadTemplateSource(), SITE);
  const { store, mailer } = announced(
    new S3ObjectStore(
      createS3Client({
        endpoint: input.s3Endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
      input.bucket,
    ),
    createSesMailer({ endpoint: input.sesEndpoint }),
  );
  for (;;) {
    const result = await deliver(CHILD_JOB, {
      store,
      mailer,
      roster: roster(input),
      variants,
      site: SITE,
      mailFrom: FROM,
      clock: () => new Date(),
      sendRate: 1000,
      concurrency: input.concurrency,
      maxUnrecorded: input.maxUnrecorded,
      leaseMs: input.leaseMs,
      owner: input.owner,
      log: () => {},
    });
    if (result.status === 'done' || result.status === 'already-done') {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    // Busy means a killed predecessor's lease: poll rather than wait the whole second deliver asks.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (process.env.DIGEST_CHILD) await main();
