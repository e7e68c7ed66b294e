import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftHash } from '../../src/drafts/keys.js';
import { derivePreviewKey, signPreviewToken } from '../../src/drafts/token.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';

/**
 * Drafts on the local stack, end to end: a file under drafts/ never reaches the public bucket; staff
 * get one Finnish mail with a signed 7-day link to the page as it would be published, served by the
 * API (noindex, private, no-store, 410 once expired or gone); an invalid draft gets the rejection
 * mail; moving the file out of drafts/ publishes it.
 */
const STAFF = 'viestinta@example.fi';
const DAY = 24 * 60 * 60 * 1000;

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
}

let dir: string;
let stack: LocalStack;

async function storedEmails(): Promise<StoredEmail[]> {
  const store = await (await fetch(`${stack.urls.ses}/store`)).json();
  return (store as { emails: StoredEmail[] }).emails;
}

/** Mails to staff since the store held `from` messages, parsed from their MIME source. */
async function staffMails(from: number): Promise<ParsedMail[]> {
  const mine = (await storedEmails()).slice(from).filter((e) => e.destination.to[0] === STAFF);
  return Promise.all(
    mine.map(async (email) => {
      const eml = await fetch(`${stack.urls.ses}/get-emlContent?messageId=${email.messageId}`);
      const { body } = (await eml.json()) as { body: { data: number[] } };
      return simpleParser(Buffer.from(body.data));
    }),
  );
}

async function sync(): Promise<void> {
  await stack.syncReleases();
  await stack.settled();
}

async function publicKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const summary of stack.stores.public.list('')) keys.push(summary.key);
  return keys;
}

const draft = (title: string) =>
  `---\ntitle: "${title}"\ndate: ${new Date().toISOString()}\n---\n\n${title}: luonnoksen teksti.\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsroom-drafts-'));
  await mkdir(join(dir, 'drafts'));
  stack = await startLocalStack({
    s3Port: 0,
    sesPort: 0,
    webPort: 0,
    releasesDir: dir,
    once: true,
    staffEmail: STAFF,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('drafts on the local stack', () => {
  let link = '';

  it('mails staff one Finnish preview link and publishes nothing', async () => {
    const before = (await storedEmails()).length;
    const publicBefore = await publicKeys();
    await writeFile(join(dir, 'drafts', 'kirjasto.md'), draft('Kirjasto laajenee'));
    await sync();

    const mails = await staffMails(before);
    expect(mails).toHaveLength(1);
    expect((await storedEmails()).length - before).toBe(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('Esikatselu: Kirjasto laajenee');
    expect(mail?.text).toContain('Luonnos ”Kirjasto laajenee” (tiedosto drafts/kirjasto.md)');
    expect(mail?.text).toContain('Julkaise se siirtämällä tiedosto kansioon releases/.');
    link =
      /(http:\/\/\S+\/api\/preview\?token=[A-Za-z0-9_-]{92})/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(link).not.toBe('');
    expect(mail?.html).toContain(`href="${link}"`);

    expect(await publicKeys()).toEqual(publicBefore);
    expect((await fetch(`${stack.urls.site}releases/kirjasto.html`)).status).toBe(404);
    expect(await (await fetch(stack.urls.feeds.atom)).text()).not.toContain('Kirjasto laajenee');
  });

  it('serves the page as it would be published, private and never indexed', async () => {
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await response.text();
    expect(page).toContain('<h1');
    expect(page).toContain('Kirjasto laajenee: luonnoksen teksti.');
    expect(page).toContain(`<base href="${stack.urls.site}releases/">`);
  });

  it('answers 410 for an expired link and 404 for a forged one', async () => {
    const key = derivePreviewKey(process.env.TOKEN_SECRET ?? '');
    const expired = signPreviewToken(key, {
      hash: draftHash('drafts/kirjasto.md'),
      expiresAt: new Date(Date.now() - DAY),
    });
    const gone = await fetch(`${stack.urls.api}preview?token=${expired}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('x-robots-tag')).toBe('noindex');
    expect(await gone.text()).toContain('Esikatselulinkki on vanhentunut.');
    const forged = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(forged)).status).toBe(404);
  });

  it('mails the same rejection as for a release when a draft is invalid', async () => {
    const before = (await storedEmails()).length;
    await writeFile(join(dir, 'drafts', 'rikki.md'), '---\ntitle: Rikki\n---\n\nTeksti.\n');
    await sync();
    const mails = await staffMails(before);
    expect(mails.map((mail) => mail.subject)).toEqual(['Tiedotetta ei julkaistu: drafts/rikki.md']);
    expect(mails[0]?.text).toContain('Korjaa tiedosto ja lataa se uudelleen samalla nimellä.');
    await rm(join(dir, 'drafts', 'rikki.md'));
    await sync();
  });

  it('publishes the draft when it is moved to releases/, and its link then answers 410', async () => {
    const before = (await storedEmails()).length;
    await rename(join(dir, 'drafts', 'kirjasto.md'), join(dir, 'kirjasto.md'));
    await sync();
    const mails = await staffMails(before);
    expect(mails.map((mail) => mail.subject)).toEqual(['Julkaistu: Kirjasto laajenee']);
    expect((await fetch(`${stack.urls.site}releases/kirjasto.html`)).status).toBe(200);
    expect((await fetch(link)).status).toBe(410);
  });
});
