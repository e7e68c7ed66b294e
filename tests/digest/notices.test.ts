import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDigestConfig } from '../../src/config/digest.js';
import { handleNotice, type NoticeDeps } from '../../src/digest/notices.js';
import { wireMailRuns } from '../../src/digest/wiring.js';
import { draftHash } from '../../src/drafts/keys.js';
import { derivePreviewKey, verifyPreviewToken } from '../../src/drafts/token.js';
import type {
  DraftPreviewNotice,
  PipelineNotice,
  StaffOutcomeNotice,
} from '../../src/pipeline/notifier.js';
import { rejectionReport } from '../../src/pipeline/reports.js';
import type { Release } from '../../src/release/types.js';
import type { OutgoingMail } from '../../src/shared/ports.js';
import { ConditionalStore } from '../support/conditional-store.js';
import { memoryRoster, recipient, release } from './fixtures.js';

const NOW = new Date('2026-05-10T08:00:00Z');
const FROM = { name: 'Esimerkkilä', address: 'tiedotteet@example.fi' };
const STAFF = 'viestinta@example.fi';

let sent: OutgoingMail[];
/** What the pipeline's state holds: release and first publication by object key. */
let published: Map<string, { release: Release; firstPublishedAt?: Date }>;

beforeEach(() => {
  sent = [];
  published = new Map();
});

async function deps(env: Record<string, string> = {}): Promise<NoticeDeps> {
  const config = readDigestConfig({
    RELEASES_BUCKET: 'private',
    SITE_URL: 'https://tiedotteet.example.fi',
    SITE_TITLE: 'Esimerkkilä',
    MAIL_FROM: 'Esimerkkilä <tiedotteet@example.fi>',
    TOKEN_SECRET: 'a-test-secret-that-is-long-enough-for-hmac',
    SES_ENDPOINT: 'http://127.0.0.1:9',
    SES_SEND_RATE: '100',
    ...env,
  });
  const wiring = await wireMailRuns(config, {
    store: new ConditionalStore(),
    mailer: {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: `m${sent.length}` };
      },
    },
    roster: memoryRoster([[recipient('r1'), recipient('r2', { lang: 'sv', languages: ['sv'] })]]),
    clock: () => NOW,
  });
  return {
    wiring: { ...wiring, releases: { publicationAt: async (key) => published.get(key) } },
    from: FROM,
  };
}

const rejected: PipelineNotice = {
  type: 'release-rejected',
  to: STAFF,
  report: rejectionReport(
    'releases/Uimahalli.md',
    {
      path: 'Uimahalli.md',
      line: 2,
      message: 'Expected `title` in front matter or a first heading (# Title).',
    },
    new Date('2026-05-10T07:59:00Z'),
    'etag',
    false,
  ),
};

function outcome(fields: Partial<StaffOutcomeNotice> = {}): StaffOutcomeNotice {
  return {
    type: 'staff-outcome',
    to: STAFF,
    outcome: 'published',
    sourcePath: 'Uimahalli.md',
    title: 'Uimahalli avautuu',
    url: 'https://tiedotteet.example.fi/releases/uimahalli.html',
    published: '2026-05-10T07:00:00Z',
    warnings: [],
    silent: false,
    ...fields,
  };
}

describe('handleNotice: staff mail', () => {
  it('mails one Finnish rejection to staff, with the line and the fix, as a MIME message', async () => {
    const outcome1 = await handleNotice(rejected, await deps());
    expect(outcome1).toEqual({ kind: 'rejection-mailed', file: 'Uimahalli.md' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual([STAFF]);
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.subject).toBe('Tiedotetta ei julkaistu: Uimahalli.md');
    expect(mail.text).toContain('Rivi 2: Expected ”title” in front matter');
    expect(mail.text).toContain('Korjaa tiedosto ja lataa se uudelleen samalla nimellä.');
    expect(mail.text).toContain('Ladattu 10.5. klo 10.59.');
    expect(mail.html).toContain('<code>title</code>');
    // Transactional mail to staff: no list headers.
    expect(mail.headerLines.map((line) => line.key)).not.toContain('list-unsubscribe');
  });

  it('names the release by the title of the version still online', async () => {
    const online = release('Uimahalli', '2026-05-01T07:00:00Z', { title: 'Uimahalli avautuu' });
    published.set('releases/Uimahalli.md', { release: online, firstPublishedAt: NOW });
    await handleNotice(rejected, await deps());
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.text).toContain(
      'Tiedostoa Uimahalli.md (tiedote ”Uimahalli avautuu”) ei julkaistu, koska siinä on virhe:',
    );
  });

  it('gives a notice delivered twice the same Message-ID', async () => {
    const wired = await deps();
    await handleNotice(rejected, wired);
    await handleNotice(rejected, wired);
    const [first, second] = await Promise.all(
      sent.map((mail) => simpleParser(Buffer.from(mail.raw))),
    );
    expect(first?.messageId).toMatch(/^<staff-[0-9a-f]{24}@example\.fi>$/);
    expect(second?.messageId).toBe(first?.messageId);
  });

  it('writes in STAFF_LANG', async () => {
    await handleNotice(outcome(), await deps({ STAFF_LANG: 'en' }));
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.subject).toBe('Published: Uimahalli avautuu');
    expect(mail.text).toContain(
      'The release “Uimahalli avautuu” is published: https://tiedotteet.example.fi/releases/uimahalli.html',
    );
  });

  it('with STAFF_NOTIFY=problems mails rejections and uploads with warnings only', async () => {
    const wired = await deps({ STAFF_NOTIFY: 'problems' });
    expect(await handleNotice(outcome(), wired)).toEqual({
      kind: 'staff-outcome',
      file: 'Uimahalli.md',
      mailed: false,
    });
    expect(sent).toHaveLength(0);
    const warned = outcome({
      warnings: [
        { path: 'Uimahalli.md', line: 4, message: '`tgas` is not a field this system reads.' },
      ],
    });
    expect(await handleNotice(warned, wired)).toMatchObject({ mailed: true });
    await handleNotice(rejected, wired);
    expect(sent).toHaveLength(2);
  });

  it('refuses an unknown STAFF_LANG or STAFF_NOTIFY, naming the variable', async () => {
    await expect(deps({ STAFF_LANG: 'de' })).rejects.toThrow('STAFF_LANG must be fi, sv or en');
    await expect(deps({ STAFF_NOTIFY: 'some' })).rejects.toThrow(
      'STAFF_NOTIFY must be all or problems',
    );
  });
});

describe('handleNotice: first publications', () => {
  const fresh = release('uutinen', '2026-05-10T07:00:00Z');
  const old = release('vanha', '2019-03-01T08:00:00Z');
  const notice = (r: Release): PipelineNotice => ({
    type: 'release-published',
    releaseId: r.id,
    key: `releases/${r.sourcePath}`,
    sourcePath: r.sourcePath,
    url: r.url,
    published: r.published.toISOString(),
  });

  it('mails a new release to its immediate subscribers', async () => {
    published.set(`releases/${fresh.sourcePath}`, { release: fresh, firstPublishedAt: NOW });
    const result = await handleNotice(notice(fresh), await deps());
    expect(result.kind).toBe('immediate');
    // r1 takes every language; r2 only Swedish.
    expect(sent.map((mail) => mail.to)).toEqual([['r1@example.org']]);
  });

  it('never mails residents about an archive import, even when a notice arrives', async () => {
    published.set(`releases/${old.sourcePath}`, { release: old, firstPublishedAt: NOW });
    expect(await handleNotice(notice(old), await deps())).toEqual({
      kind: 'archive-import',
      releaseId: old.id,
    });
    // Without a recorded first publication, now is when it went public.
    published.set(`releases/${old.sourcePath}`, { release: old });
    expect((await handleNotice(notice(old), await deps())).kind).toBe('archive-import');
    expect(sent).toHaveLength(0);
  });

  it('mails a release exactly NOTIFY_MAX_AGE old, and not one a minute older', async () => {
    const env = { NOTIFY_MAX_AGE: '1h' };
    const edge = release('raja', new Date(NOW.getTime() - 3_600_000).toISOString());
    published.set(`releases/${edge.sourcePath}`, { release: edge, firstPublishedAt: NOW });
    expect((await handleNotice(notice(edge), await deps(env))).kind).toBe('immediate');
    const over = release('yli', new Date(NOW.getTime() - 3_660_000).toISOString());
    published.set(`releases/${over.sourcePath}`, { release: over, firstPublishedAt: NOW });
    expect((await handleNotice(notice(over), await deps(env))).kind).toBe('archive-import');
  });
});

describe('handleNotice: draft previews', () => {
  const draft = (fields: Partial<DraftPreviewNotice> = {}): DraftPreviewNotice => ({
    type: 'draft-preview',
    to: STAFF,
    sourcePath: 'drafts/kirjasto.md',
    title: 'Kirjasto laajenee',
    hash: draftHash('drafts/kirjasto.md'),
    expiresAt: '2026-05-17T08:00:00.000Z',
    warnings: [],
    ...fields,
  });

  it('mails staff a link whose token names the preview and expires with the notice', async () => {
    const outcome = await handleNotice(draft(), await deps());
    expect(outcome).toMatchObject({ kind: 'draft-preview', file: 'drafts/kirjasto.md' });
    const url = outcome.kind === 'draft-preview' ? outcome.url : '';
    const token = new URL(url).searchParams.get('token') ?? '';
    expect(url).toBe(`https://tiedotteet.example.fi/api/preview?token=${token}`);
    const key = derivePreviewKey('a-test-secret-that-is-long-enough-for-hmac');
    expect(verifyPreviewToken(key, token, NOW)).toEqual({
      ok: true,
      claims: {
        hash: draftHash('drafts/kirjasto.md'),
        expiresAt: new Date('2026-05-17T08:00:00Z'),
      },
    });
    expect(sent).toHaveLength(1);
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.subject).toBe('Esikatselu: Kirjasto laajenee');
    expect(mail.text).toContain(`juuri niin kuin se julkaistaisiin: ${url}`);
    // Local time (Europe/Helsinki, UTC+3 in May), without the year of this year.
    expect(mail.text).toContain('Linkki toimii 17.5. klo 11.00 asti.');
  });

  it('is mailed even with STAFF_NOTIFY=problems, in STAFF_LANG, with its warnings', async () => {
    const warnings = [
      { path: 'kirjasto.md', line: 3, message: '`sumary` is not a field this system reads.' },
    ];
    await handleNotice(
      draft({ warnings }),
      await deps({ STAFF_NOTIFY: 'problems', STAFF_LANG: 'sv' }),
    );
    expect(sent).toHaveLength(1);
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.subject).toBe('Förhandsvisning: Kirjasto laajenee');
    expect(mail.text).toContain('sumary');
  });
});
