import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../src/local/stack.js';
import { newSubscriberId, shardOfAddressHash } from '../../src/subscribers/ids.js';
import { deriveSubscriberKeys, hashAddress } from '../../src/subscribers/keys.js';
import { SubscriberStore } from '../../src/subscribers/store.js';
import type { Frequency } from '../../src/subscribers/types.js';
import { startFolderStack } from '../support/folder-stack.js';

/**
 * The local stack end to end, as staff use it: an archive import of 500 old releases reaches the
 * site and no resident's mailbox; a bad upload brings staff one Finnish mail with the line and the
 * fix.
 */
/** The size: about 2.5 minutes here (2 shared cores), one upload at a time. */
const IMPORTS = 500;
const STAFF = 'viestinta@example.fi';
const RESIDENTS: [string, Frequency][] = [
  ['heti@example.org', 'immediate'],
  ['paiva@example.org', 'daily'],
  ['viikko@example.org', 'weekly'],
];

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

let dir: string;
let stack: LocalStack;
let stop: (() => Promise<void>) | undefined;
const lines: string[] = [];

async function emails(): Promise<StoredEmail[]> {
  return ((await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: StoredEmail[] })
    .emails;
}

const release = (title: string, date: string) =>
  `---\ntitle: "${title}"\ndate: ${date}\n---\n\n${title}: ensimmäinen kappale.\n`;

beforeAll(async () => {
  ({ dir, stack, stop } = await startFolderStack('newsroom-imports-', STAFF, (line) =>
    lines.push(line),
  ));
  const keys = deriveSubscriberKeys(process.env.TOKEN_SECRET ?? '');
  const subscribers = new SubscriberStore(stack.stores.releases);
  for (const [address, frequency] of RESIDENTS) {
    const addressHash = hashAddress(keys, address);
    await subscribers.upsert({
      id: newSubscriberId(shardOfAddressHash(addressHash)),
      address,
      addressHash,
      lang: 'fi',
      categories: [],
      frequency,
      consent: {
        requestedAt: '2026-01-01T00:00:00Z',
        ip: '192.0.2.1',
        userAgent: 'test',
        channel: 'json',
        lang: 'fi',
        confirmedAt: '2026-01-01T00:05:00Z',
      },
      updatedAt: '2026-01-01T00:05:00Z',
    });
  }
}, 60_000);

afterAll(async () => {
  await stop?.();
});

describe('staff on the local stack', () => {
  it(`imports ${IMPORTS} old releases onto the site and mails no resident about them`, async () => {
    // The whole archive at once, as an import is done: the one publishing queue takes the burst.
    for (let i = 0; i < IMPORTS; i += 1) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((i % 12) + 1).padStart(2, '0');
      await writeFile(
        join(dir, `arkisto-${i}.md`),
        release(`Arkistotiedote ${i}`, `${2015 + (i % 8)}-${month}-${day} 10:00`),
      );
    }
    await stack.syncReleases();
    await stack.settled();

    expect(await stack.summary()).toMatchObject({ sources: IMPORTS, rejected: [], failures: 0 });
    // Every release is on the site (its page answers), imports or not.
    let pages = 0;
    for (let i = 0; i < IMPORTS; i += 1) {
      const page = await fetch(`${stack.urls.site}releases/arkisto-${i}.html`, { method: 'HEAD' });
      if (page.status === 200) pages += 1;
    }
    expect(pages).toBe(IMPORTS);
    const daily = await stack.runDigest('daily', { everything: true });
    const weekly = await stack.runDigest('weekly', { everything: true });
    expect([daily.status, weekly.status]).toEqual(['nothing-new', 'nothing-new']);
    const residents = (await emails()).filter((email) => email.destination.to[0] !== STAFF);
    expect(residents).toHaveLength(0);
    expect(
      lines.filter((line) => line.includes('archive import: not mailed to subscribers')),
    ).toHaveLength(IMPORTS);

    // The same residents do get a new release: the zero above is the import rule, not a setup gap.
    await writeFile(join(dir, 'tuore.md'), release('Tuore tiedote', new Date().toISOString()));
    await stack.syncReleases();
    await stack.settled();
    const fresh = (await emails()).filter((email) => email.destination.to[0] !== STAFF);
    expect(fresh.map((email) => email.destination.to[0])).toEqual(['heti@example.org']);
  }, 900_000);

  it('mails staff one Finnish message about a bad upload, with the line and the fix', async () => {
    const before = (await emails()).length;
    await writeFile(join(dir, 'rikki.md'), '---\ntitle: Rikki\ndtae: 2026-01-01\n---\n\nTeksti.\n');
    await stack.syncReleases();
    await stack.settled();
    const mails = (await emails()).slice(before);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.destination.to).toEqual([STAFF]);
    expect(mail?.subject).toBe('Tiedotetta ei julkaistu: rikki.md');
    expect(mail?.body.text).toContain('Rivi 3: Expected ”date” in front matter');
    expect(mail?.body.text).toContain('”dtae” (write ”date”)');
    expect(mail?.body.text).toContain('Korjaa tiedosto ja lataa se uudelleen samalla nimellä.');
    expect(lines).toContain(
      `rejected: rikki.md:3: Expected \`date\` in front matter (date: 2025-04-09 10:00) or a type/date line under the title (**Tiedote** 9.4.2025 10:00). A release must have a date. This system does not read these fields: \`dtae\` (write \`date\`). (mailed to ${STAFF})`,
    );
  }, 60_000);
});
