import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftHash } from '../../src/drafts/keys.js';
import { derivePreviewKey, signPreviewToken } from '../../src/drafts/token.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { byTag, parseHtml } from '../pages/html-check.js';
import { jpegBytes, pdfBytes, pngBytes } from '../support/media-bytes.js';

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

describe('draft media on the local stack', () => {
  const picture = jpegBytes(320, 180);
  const logo = pngBytes(40, 30);
  const agenda = pdfBytes('Esityslista');
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
  let link = '';
  let mediaUrls: string[] = [];

  it('shows the pictures beside the draft and those already public through the signed link, publishing none', async () => {
    const before = (await storedEmails()).length;
    await writeFile(join(dir, 'logo.png'), logo);
    await writeFile(join(dir, 'drafts', 'puisto.jpg'), picture);
    await writeFile(join(dir, 'drafts', 'esityslista.pdf'), agenda);
    await writeFile(join(dir, 'drafts', 'salainen.jpg'), picture);
    await writeFile(
      join(dir, 'drafts', 'puisto.md'),
      `---\ntitle: Puisto kunnostetaan\ndate: ${new Date().toISOString()}\nimage: puisto.jpg\nimage_alt: Puisto\n---\n\nPuisto kunnostetaan.\n\n![Kaupungin logo](logo.png)\n\nLue [esityslista](esityslista.pdf).\n`,
    );
    await sync();

    const mails = await staffMails(before);
    expect(mails.map((mail) => mail.subject)).toEqual(['Esikatselu: Puisto kunnostetaan']);
    link =
      /(http:\/\/\S+\/api\/preview\?token=[A-Za-z0-9_-]{92})/.exec(mails[0]?.text ?? '')?.[1] ?? '';
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const pageText = await page.text();
    const { errors, root } = parseHtml(pageText);
    expect(errors).toEqual([]);
    const images = byTag(root, 'img').map((img) => img.attrs.src ?? '');
    const pdf = byTag(root, 'a').find((a) => a.text === 'esityslista')?.attrs.href ?? '';
    mediaUrls = [...images, pdf];
    expect(mediaUrls).toHaveLength(3);
    for (const url of mediaUrls) {
      expect(url.startsWith(`${stack.urls.api}preview/media?token=`)).toBe(true);
      expect(tokenOf(url)).toBe(tokenOf(link));
    }
    const answers = await Promise.all(mediaUrls.map((url) => fetch(url)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => answer.headers.get('content-type'))).toEqual([
      'image/jpeg',
      'image/png',
      'application/pdf',
    ]);
    const bodies = await Promise.all(answers.map(async (a) => Buffer.from(await a.arrayBuffer())));
    expect(bodies).toEqual([Buffer.from(picture), Buffer.from(logo), Buffer.from(agenda)]);
    expect(answers[2]?.headers.get('content-disposition')).toBe(
      'attachment; filename="esityslista.pdf"',
    );
    for (const answer of answers) {
      expect(answer.headers.get('cache-control')).toBe('private, no-store');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-robots-tag')).toBe('noindex');
    }
    const published = await publicKeys();
    expect(published.filter((key) => key.startsWith('media/'))).toEqual([]);
    expect((await fetch(`${stack.urls.site}media/puisto.jpg`)).status).toBe(404);
  });

  it('answers 404 for a file the draft does not show and 400 for a path that climbs', async () => {
    const token = tokenOf(link);
    const media = (path: string) =>
      fetch(`${stack.urls.api}preview/media?token=${token}&path=${encodeURIComponent(path)}`);
    expect((await media('salainen.jpg')).status).toBe(404);
    expect((await media('puisto.md')).status).toBe(404);
    expect((await media('../releases/logo.png')).status).toBe(400);
    expect((await media('a/../puisto.jpg')).status).toBe(400);
    expect((await media('\\puisto.jpg')).status).toBe(400);
    expect((await media('')).status).toBe(400);
    const other = signPreviewToken(derivePreviewKey(process.env.TOKEN_SECRET ?? ''), {
      hash: draftHash('drafts/muu.md'),
      expiresAt: new Date(Date.now() + DAY),
    });
    expect(
      (await fetch(`${stack.urls.api}preview/media?token=${other}&path=puisto.jpg`)).status,
    ).toBe(410);
  });

  it('answers 410 for a picture once the link has expired', async () => {
    const expired = signPreviewToken(derivePreviewKey(process.env.TOKEN_SECRET ?? ''), {
      hash: draftHash('drafts/puisto.md'),
      expiresAt: new Date(Date.now() - 1000),
    });
    const answer = await fetch(`${stack.urls.api}preview/media?token=${expired}&path=puisto.jpg`);
    expect(answer.status).toBe(410);
    expect(await answer.text()).toContain('Esikatselulinkki on vanhentunut.');
  });

  it('shows a picture uploaded after the draft, without another mail', async () => {
    const before = (await storedEmails()).length;
    await writeFile(
      join(dir, 'drafts', 'puisto.md'),
      `---\ntitle: Puisto kunnostetaan\ndate: ${new Date().toISOString()}\nimage: puisto.jpg\nimage_alt: Puisto\n---\n\nPuisto kunnostetaan.\n\n![Kartta](kartta.png)\n\nLue [esityslista](esityslista.pdf).\n`,
    );
    await sync();
    const first = await staffMails(before);
    expect(first.map((mail) => mail.subject)).toEqual(['Esikatselu: Puisto kunnostetaan']);
    expect(first[0]?.text).toContain(
      'Korjattavaa ennen julkaisua (esikatselu näyttää luonnoksen ilman näitä):\n- Rivi 10: ”kartta.png” was not published: The file was not found',
    );
    link =
      /(http:\/\/\S+\/api\/preview\?token=[A-Za-z0-9_-]{92})/.exec(first[0]?.text ?? '')?.[1] ?? '';
    const without = parseHtml(await (await fetch(link)).text());
    expect(byTag(without.root, 'img').map((img) => img.attrs.alt)).toEqual(['Puisto']);

    await writeFile(join(dir, 'drafts', 'kartta.png'), logo);
    await sync();
    expect((await storedEmails()).length - before).toBe(1);
    const withMap = parseHtml(await (await fetch(link)).text());
    const images = byTag(withMap.root, 'img');
    expect(images.map((img) => img.attrs.alt)).toEqual(['Puisto', 'Kartta']);
    const map = await fetch(images[1]?.attrs.src ?? '');
    expect(map.status).toBe(200);
    expect(Buffer.from(await map.arrayBuffer())).toEqual(Buffer.from(logo));
  });

  it('publishes the draft and its media when both are moved to releases/', async () => {
    for (const name of ['puisto.md', 'puisto.jpg', 'esityslista.pdf', 'kartta.png']) {
      await rename(join(dir, 'drafts', name), join(dir, name));
    }
    await sync();
    expect((await fetch(`${stack.urls.site}releases/puisto.html`)).status).toBe(200);
    const published = await fetch(`${stack.urls.site}media/puisto.jpg`);
    expect(published.status).toBe(200);
    expect(Buffer.from(await published.arrayBuffer())).toEqual(Buffer.from(picture));
    expect((await fetch(`${stack.urls.site}media/salainen.jpg`)).status).toBe(404);
    expect((await fetch(link)).status).toBe(410);
    expect((await fetch(mediaUrls[0] ?? '')).status).toBe(410);
  });
});
