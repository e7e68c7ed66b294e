import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const SITE = 'https://tiedotteet.example.fi';

const cli = (args: string[]) => runCli(args, { MAIL_FROM: '' });

function releaseFile(title: string, date: string, type = 'Tiedote', lang = 'fi'): string {
  return `---\ntitle: "${title}"\ntype: ${type}\ndate: ${date}\nlang: ${lang}\nsummary: "Tiivistelmä: ${title}."\n---\n\nEnsimmäinen kappale.\n`;
}

let work: string;
let releases: string;
let out: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-digest-cli-'));
  releases = join(work, 'in');
  out = join(work, 'out');
  await mkdir(join(releases, '2026'), { recursive: true });
  await writeFile(
    join(releases, '2026', 'ennen.md'),
    releaseFile('Liian aikaisin', '2026-11-27T05:59:00Z'),
  );
  await writeFile(
    join(releases, '2026', 'alussa.md'),
    releaseFile('Heti alussa', '2026-11-27T06:00:01Z'),
  );
  await writeFile(
    join(releases, '2026', 'blogi.md'),
    releaseFile('Blogin kirjoitus', '2026-11-27T16:33:00Z', 'Blogi'),
  );
  await writeFile(
    join(releases, '2026', 'simhall.md'),
    releaseFile('Simhallen öppnar', '2026-11-28T06:00:00Z', 'Pressmeddelande', 'sv'),
  );
  await writeFile(
    join(releases, '2026', 'jalkeen.md'),
    releaseFile('Liian myöhään', '2026-11-28T06:00:01Z'),
  );
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const WINDOW = ['--since', '2026-11-27T06:00:00Z', '--until', '2026-11-28T06:00:00Z'];

/** `newsroom digest` over the test releases and window, with `extra` arguments. */
const previewDigest = (extra: string[]) =>
  cli(['digest', '--releases', releases, '--out', out, '--site-url', SITE, ...WINDOW, ...extra]);

describe('newsroom digest', () => {
  it('writes the HTML, text and MIME message of the releases published in (since, until]', async () => {
    const run = await previewDigest([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['digest.eml', 'digest.html', 'digest.txt']);
    const html = await readFile(join(out, 'digest.html'), 'utf8');
    const text = await readFile(join(out, 'digest.txt'), 'utf8');
    for (const title of ['Heti alussa', 'Blogin kirjoitus']) {
      expect(html).toContain(title);
      expect(text).toContain(title);
    }
    // A Finnish subscriber gets the Finnish releases only, as the roster selects them.
    for (const title of ['Liian aikaisin', 'Liian myöhään', 'Simhallen öppnar']) {
      expect(html).not.toContain(title);
      expect(text).not.toContain(title);
    }
    // 16.33 UTC on 27 November is 18.33 in Helsinki.
    expect(text).toContain('Blogi · 27.11.2026 klo 18.33');
    expect(html).toContain('https://tiedotteet.example.fi/releases/2026-blogi.html');

    const mail = await simpleParser(await readFile(join(out, 'digest.eml')));
    expect(mail.subject).toBe('Esimerkkilä: päivän tiedotteet 28.11.2026');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('subscriber@example.org');
    expect(mail.text).toContain('Heti alussa');
    expect(mail.html).toContain('Blogin kirjoitus');
    expect(run.stdout).toContain('a subscriber in fi gets: 2 of the 3 release(s)');
    expect(mail.headerLines.map((line) => line.key)).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id']),
    );
  });

  it('writes the mail in the language and frequency asked for', async () => {
    const run = await previewDigest(['--lang', 'sv', '--frequency', 'weekly']);
    expect(run.code).toBe(0);
    const mail = await simpleParser(await readFile(join(out, 'digest.eml')));
    expect(mail.subject).toBe('Esimerkkilä: veckans pressmeddelanden 28.11.2026');
    const html = await readFile(join(out, 'digest.html'), 'utf8');
    expect(html).toMatch(/<html[^>]* lang="sv"/);
    // Exactly what a Swedish subscriber gets: the one Swedish release, none of the Finnish ones.
    expect(mail.text).toContain('Simhallen öppnar');
    for (const title of ['Heti alussa', 'Blogin kirjoitus']) expect(html).not.toContain(title);
    expect(run.stdout).toContain('a subscriber in sv gets: 1 of the 3 release(s)');
  });

  it('says so and writes nothing when no release of the window is in the language asked for', async () => {
    const run = await previewDigest(['--lang', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('None of the 3 release(s) published in');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('says so and writes nothing when nothing was published in the window', async () => {
    const run = await cli([
      'digest',
      '--releases',
      releases,
      '--out',
      out,
      '--site-url',
      SITE,
      '--since',
      '2026-11-20T00:00:00Z',
      '--until',
      '2026-11-21T00:00:00Z',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No release was published in/);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('exits 2 on a usage error', async () => {
    const missing = await cli(['digest', '--releases', releases, '--out', out, '--site-url', SITE]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --since');
    const badLang = await previewDigest(['--lang', 'de']);
    expect(badLang.code).toBe(2);
    expect(badLang.stderr).toContain('--lang must be fi, sv or en');
    const badFrequency = await cli(['send-digest', '--frequency', 'hourly']);
    expect(badFrequency.code).toBe(2);
  });
});
