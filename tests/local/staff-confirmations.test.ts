import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../src/local/stack.js';
import { startFolderStack } from '../support/folder-stack.js';

/**
 * Staff confirmations on the local stack, through the real queue and the local SES: a good upload
 * brings one Finnish "published" mail with the release's public address, an edit one "updated".
 */
const STAFF = 'viestinta@example.fi';

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
}

let dir: string;
let stack: LocalStack;
let stop: (() => Promise<void>) | undefined;

/** Every mail to staff since `from` (an index into the store), parsed from its MIME source. */
async function staffMails(from: number): Promise<ParsedMail[]> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
    emails: StoredEmail[];
  };
  const mine = store.emails.slice(from).filter((email) => email.destination.to[0] === STAFF);
  return Promise.all(
    mine.map(async (email) => {
      // The endpoint answers JSON whose `body` is the regenerated message as a serialized Buffer.
      const eml = await fetch(`${stack.urls.ses}/get-emlContent?messageId=${email.messageId}`);
      const { body } = (await eml.json()) as { body: { data: number[] } };
      return simpleParser(Buffer.from(body.data));
    }),
  );
}

async function storedCount(): Promise<number> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: unknown[] };
  return store.emails.length;
}

async function upload(name: string, text: string): Promise<void> {
  await writeFile(join(dir, name), text);
  await stack.syncReleases();
  await stack.settled();
}

beforeAll(async () => {
  ({ dir, stack, stop } = await startFolderStack('newsroom-confirm-', STAFF));
}, 60_000);

afterAll(async () => {
  await stop?.();
});

describe('staff confirmations on the local stack', () => {
  const date = new Date().toISOString();
  const url = () => `${stack.urls.site}releases/uimahalli.html`;

  it('mails staff one Finnish "published" mail with the public address', async () => {
    const before = await storedCount();
    await upload('uimahalli.md', `---\ntitle: Uimahalli avataan\ndate: ${date}\n---\n\nAuki.\n`);
    const mails = await staffMails(before);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('Julkaistu: Uimahalli avataan');
    expect(mail?.text).toContain(`Tiedote ”Uimahalli avataan” on julkaistu: ${url()}`);
    expect(mail?.html).toContain(`href="${url()}"`);
    expect((await fetch(url())).status).toBe(200);
  });

  it('mails staff one "updated" mail for an edit', async () => {
    const before = await storedCount();
    await upload(
      'uimahalli.md',
      `---\ntitle: Uimahalli avataan\ndate: ${date}\n---\n\nAuki maanantaina.\n`,
    );
    const mails = await staffMails(before);
    expect(mails.map((mail) => mail.subject)).toEqual(['Päivitetty: Uimahalli avataan']);
    expect(mails[0]?.text).toContain(`ovat nyt sivustolla: ${url()}`);
  });
});
