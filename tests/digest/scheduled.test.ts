import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { runSendDigest } from '../../src/cli/send-digest.js';
import { readDigestConfig } from '../../src/config/digest.js';
import { PipelineReleaseSource } from '../../src/digest/pipeline-releases.js';
import { runDigest, runImmediate } from '../../src/digest/run.js';
import { wireMailRuns } from '../../src/digest/wiring.js';
import { publishReleaseHandler } from '../../src/pipeline/handlers.js';
import type { PipelineNotice } from '../../src/pipeline/notifier.js';
import { encodeS3Key } from '../../src/pipeline/s3-event.js';
import type { Mailer, ObjectStore, OutgoingMail } from '../../src/shared/ports.js';
import { newSubscriberId, shardOfAddressHash } from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys, hashAddress } from '../../src/subscribers/keys.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import { verifyToken } from '../../src/subscribers/tokens.js';
import type { Frequency, Lang } from '../../src/subscribers/types.js';
import { ConditionEnforcingStore } from '../support/condition-enforcing-store.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes-0123456789';
const keys = deriveSubscriberKeys(SECRET);
const SITE_URL = 'https://tiedotteet.example.fi';

let s3: LocalS3;
let ses: LocalSes;

beforeAll(async () => {
  [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
});

afterAll(async () => {
  await Promise.all([s3?.stop(), ses?.stop()]);
});

beforeEach(async () => {
  await ses.clear();
});

function env(bucket: string): Record<string, string> {
  return {
    RELEASES_BUCKET: bucket,
    PUBLIC_BUCKET: 'unused',
    SITE_URL,
    SITE_TITLE: 'Esimerkkilä',
    MAIL_FROM: 'Esimerkkilä <tiedotteet@example.fi>',
    TOKEN_SECRET: SECRET,
    SES_ENDPOINT: ses.endpoint,
    SES_SEND_RATE: '200',
  };
}

function releaseText(title: string, date: string, type = 'Tiedote', lang = 'fi'): string {
  return `---\ntitle: "${title}"\ntype: ${type}\ndate: ${date}\nlang: ${lang}\nsummary: "${title}: tiivistelmä."\n---\n\nKappale.\n`;
}

/** One upload to the releases bucket, at the instant `at`. */
interface Upload {
  key: string;
  text: string;
  at: string;
}

/**
 * The releases bucket as the pipeline leaves it after these uploads. With a feed limit of 1 its
 * `all` window holds 6 releases, so more than that makes the source read the archive years.
 */
async function publishedBucket(uploads: readonly Upload[]) {
  let now = uploads[0]?.at ?? '2026-01-01T00:00:00Z';
  const s3Store = await freshBucket(s3, 'releases');
  const store = new ConditionEnforcingStore(s3Store);
  const notices: PipelineNotice[] = [];
  const publicSite = await freshBucket(s3, 'public');
  const handle = publishReleaseHandler({
    bucket: store,
    publicSite,
    site: {
      siteUrl: SITE_URL,
      title: 'Esimerkkilä',
      defaultLang: 'fi',
      timeZone: 'Europe/Helsinki',
      feedLimit: 1,
    },
    clock: () => new Date(now),
    notifier: { notify: async (notice) => void notices.push(notice) },
    log: () => {},
  });
  let sequencer = 0x2000;
  for (const { key, text, at } of uploads) {
    now = at;
    await store.put(key, text, { contentType: 'text/markdown' });
    sequencer += 1;
    await handle({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-north-1',
          eventTime: now,
          eventName: 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'releases',
            bucket: { name: s3Store.bucket, arn: `arn:aws:s3:::${s3Store.bucket}` },
            object: {
              key: encodeS3Key(key),
              size: 1,
              sequencer: sequencer.toString(16).toUpperCase().padStart(16, '0'),
            },
          },
        },
      ],
    });
  }
  return { store, bucketName: (s3Store as S3ObjectStore).bucket, notices };
}

async function addSubscriber(
  store: ObjectStore,
  address: string,
  preferences: { lang: Lang; frequency: Frequency; categories?: string[] },
) {
  const addressHash = hashAddress(keys, address);
  const subscriber = await new SubscriberStore(store).upsert({
    id: newSubscriberId(shardOfAddressHash(addressHash)),
    address,
    addressHash,
    categories: [],
    ...preferences,
    consent: {
      requestedAt: '2026-01-01T00:00:00Z',
      ip: '192.0.2.1',
      userAgent: 'test',
      channel: 'html-form',
      lang: preferences.lang,
    },
    updatedAt: '2026-01-01T00:00:00Z',
  });
  return subscriber.id;
}

/** Releases around the daily window (2026-11-27 08:00, 2026-11-28 08:00] Helsinki time. */
const UPLOADS: Upload[] = [
  ...Array.from({ length: 6 }, (_, i) => ({
    key: `releases/2026/lokakuu-${i}.md`,
    text: releaseText(`Lokakuun tiedote ${i}`, `2026-10-0${i + 1}T09:00:00Z`),
    at: `2026-10-0${i + 1}T09:00:00Z`,
  })),
  {
    key: 'releases/2026/vanha.md',
    text: releaseText('Edellisen päivän tiedote', '2026-11-27T05:00:00Z'),
    at: '2026-11-27T05:00:00Z',
  },
  {
    key: 'releases/2026/uimahalli.md',
    text: releaseText('Uimahalli avautuu', '2026-11-27T10:00:00Z'),
    at: '2026-11-27T10:00:30Z',
  },
  {
    key: 'releases/2026/blogi.md',
    text: releaseText('Kevään blogi', '2026-11-27T16:33:00Z', 'Blogi'),
    at: '2026-11-27T16:33:00Z',
  },
  {
    key: 'releases/2026/simhall.md',
    text: releaseText('Simhallen öppnar', '2026-11-27T18:00:00Z', 'Pressmeddelande', 'sv'),
    at: '2026-11-27T18:00:10Z',
  },
  // Back-dated: dated in 2025, uploaded (so made public) inside the window: an archive import,
  // on the site but never mailed (NOTIFY_MAX_AGE).
  {
    key: 'releases/2025/takautuva.md',
    text: releaseText('Unohtunut tiedote', '2025-06-01T09:00:00Z'),
    at: '2026-11-27T12:00:00Z',
  },
  // Edited inside the window, first published long before: not new.
  {
    key: 'releases/2026/lokakuu-0.md',
    text: releaseText('Lokakuun tiedote 0 (korjattu)', '2026-10-01T09:00:00Z'),
    at: '2026-11-27T13:00:00Z',
  },
];

const upload = (key: string) => UPLOADS.filter((u) => u.key === key);

describe('scheduled digest against the pipeline state and the subscriber store', () => {
  it("reads the releases that became public in the window from the pipeline's state", async () => {
    const { store } = await publishedBucket(UPLOADS);
    const source = new PipelineReleaseSource(store);
    const releases = await source.publishedBetween(
      new Date('2026-11-27T06:00:00Z'),
      new Date('2026-11-28T06:00:00Z'),
    );
    // Newest first by date; neither the archive import nor the edit of an old release is new.
    expect(releases.map((r) => r.title)).toEqual([
      'Simhallen öppnar',
      'Kevään blogi',
      'Uimahalli avautuu',
    ]);
    // With the whole archive in the `all` window, that one document is enough.
    const small = await publishedBucket([
      ...upload('releases/2026/uimahalli.md'),
      ...upload('releases/2026/blogi.md'),
      ...upload('releases/2025/takautuva.md'),
    ]);
    expect(
      (
        await new PipelineReleaseSource(small.store).publishedBetween(
          new Date('2026-11-27T06:00:00Z'),
          new Date('2026-11-28T06:00:00Z'),
        )
      ).map((r) => r.title),
    ).toEqual(['Kevään blogi', 'Uimahalli avautuu']);
    expect((await source.releaseAt('releases/2026/blogi.md'))?.categorySlug).toBe('blogi');
    expect(await source.releaseAt('releases/2026/puuttuu.md')).toBeUndefined();
  });

  it('mails each confirmed daily subscriber their releases, with working one-click links', async () => {
    const { store, bucketName } = await publishedBucket(UPLOADS);
    const annaId = await addSubscriber(store, 'anna@example.org', {
      lang: 'fi',
      frequency: 'daily',
    });
    await addSubscriber(store, 'bert@example.org', { lang: 'sv', frequency: 'daily' });
    await addSubscriber(store, 'cecilia@example.org', {
      lang: 'fi',
      frequency: 'daily',
      categories: ['blogi'],
    });
    await addSubscriber(store, 'weekly@example.org', { lang: 'fi', frequency: 'weekly' });
    await addSubscriber(store, 'immediate@example.org', { lang: 'fi', frequency: 'immediate' });
    await addSubscriber(store, 'kuulutus@example.org', {
      lang: 'fi',
      frequency: 'daily',
      categories: ['kuulutus'],
    });

    const sent: OutgoingMail[] = [];
    const wiring = await wireMailRuns(readDigestConfig(env(bucketName)), { store });
    const recording: Mailer = {
      send: async (mail) => {
        sent.push(mail);
        return wiring.options.mailer.send(mail);
      },
    };
    const result = await runDigest({
      ...wiring.options,
      mailer: recording,
      frequency: 'daily',
      at: new Date('2026-11-28T06:00:30Z'),
      releases: wiring.releases,
    });
    expect(result).toMatchObject({
      runId: 'daily-2026-11-28',
      status: 'done',
      releases: 3,
      sent: 3,
      nothingNew: 1,
    });

    const byAddress = new Map(
      (await ses.emails()).map((email) => [email.destination.to[0], email]),
    );
    expect([...byAddress.keys()].sort()).toEqual([
      'anna@example.org',
      'bert@example.org',
      'cecilia@example.org',
    ]);
    expect(byAddress.get('anna@example.org')?.body.text).toContain('Uimahalli avautuu');
    expect(byAddress.get('anna@example.org')?.body.text).not.toContain('Unohtunut tiedote');
    expect(byAddress.get('anna@example.org')?.body.text).not.toContain('Simhallen öppnar');
    expect(byAddress.get('anna@example.org')?.body.text).not.toContain('Edellisen päivän');
    expect(byAddress.get('bert@example.org')?.subject).toBe(
      'Esimerkkilä: dagens pressmeddelanden 28.11.2026',
    );
    expect(byAddress.get('bert@example.org')?.body.text).toContain('Simhallen öppnar');
    expect(byAddress.get('cecilia@example.org')?.body.text).toContain('Kevään blogi');
    expect(byAddress.get('cecilia@example.org')?.body.text).not.toContain('Uimahalli');

    const annaMail = await simpleParser(
      Buffer.from(sent.find((m) => m.to[0] === 'anna@example.org')?.raw ?? []),
    );
    const unsubscribe =
      annaMail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const token = /token=([A-Za-z0-9_-]+)>/.exec(unsubscribe)?.[1] ?? '';
    const check = verifyToken(keys, token, 'manage', new Date());
    expect(check).toMatchObject({ ok: true, claims: { subscriberId: annaId } });
  });

  it('sends immediate mail once per release, however often the notice comes', async () => {
    const { store, bucketName, notices } = await publishedBucket(
      upload('releases/2026/uimahalli.md'),
    );
    await addSubscriber(store, 'heti-en@example.org', { lang: 'en', frequency: 'immediate' });
    await addSubscriber(store, 'heti-fi@example.org', { lang: 'fi', frequency: 'immediate' });
    await addSubscriber(store, 'daily@example.org', { lang: 'fi', frequency: 'daily' });
    const wiring = await wireMailRuns(readDigestConfig(env(bucketName)), { store });
    const notice = notices.find((n) => n.type === 'release-published');
    if (notice?.type !== 'release-published') throw new Error('the pipeline announced nothing');
    const release = await wiring.releases.releaseAt(notice.key);
    if (!release) throw new Error('the published release is missing');
    const first = await runImmediate(release, wiring.options);
    // heti-en reads English and gets English releases only: this Finnish one is not for them.
    expect(first).toMatchObject({ status: 'done', sent: 1, nothingNew: 1 });
    const repeated = await runImmediate(release, wiring.options);
    expect(repeated.status).toBe('already-done');
    const emails = await ses.emails();
    expect(emails.map((e) => e.destination.to[0])).toEqual(['heti-fi@example.org']);
    expect(emails[0]?.subject).toBe('Esimerkkilä: Uimahalli avautuu');
  });

  it('send-digest --local runs the same code against the local stack ports', async () => {
    const { store, bucketName } = await publishedBucket(UPLOADS);
    await addSubscriber(store, 'viikko@example.org', { lang: 'fi', frequency: 'weekly' });
    const lines: string[] = [];
    const finished = await runSendDigest(
      ['--frequency', 'weekly', '--now', '2026-11-30T06:00:00Z', '--local'],
      { stdout: (line) => lines.push(line) },
      {
        S3_PORT: String(s3.port),
        SES_PORT: String(ses.port),
        RELEASES_BUCKET: bucketName,
        TOKEN_SECRET: SECRET,
        SITE_URL,
        SITE_TITLE: 'Esimerkkilä',
      },
    );
    expect(finished).toBe(true);
    expect(lines.join('\n')).toMatch(/^weekly-2026-11-30: done: 4 release\(s\)/);
    const emails = await ses.emails();
    expect(emails.map((e) => e.destination.to[0])).toEqual(['viikko@example.org']);
    expect(emails[0]?.subject).toBe('Esimerkkilä: viikon tiedotteet 30.11.2026');
  });
});
