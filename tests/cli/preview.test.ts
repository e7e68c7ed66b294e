import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const SITE = 'https://tiedotteet.example.fi';
const NOW = '2026-05-10T08:00:00Z';

let work: string;
let out: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-preview-'));
  out = join(work, 'out');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function releaseFile(name: string, text: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
}

const preview = (file: string, now = NOW) =>
  runCli(['preview', file, '--out', out, '--site-url', SITE, '--now', now], { MAIL_FROM: '' });

describe('newsroom preview', () => {
  it('writes the page exactly as the build publishes it and the immediate mail in the release language', async () => {
    const file = await releaseFile(
      'uimahalli.md',
      '---\ntitle: Uimahalli avautuu\ndate: 2026-05-10 09:00\nsummary: Uimahalli avautuu maanantaina.\n---\n\nUimahalli avautuu taas.\n',
    );

    const run = await preview(file);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['mail.eml', 'page.html']);
    const built = join(work, 'built');
    const build = await runCli([
      'build',
      '--releases',
      work,
      '--out',
      built,
      '--site-url',
      SITE,
      '--now',
      NOW,
    ]);
    expect(build.code).toBe(0);
    expect(await readFile(join(out, 'page.html'), 'utf8')).toBe(
      await readFile(join(built, 'releases', 'uimahalli.html'), 'utf8'),
    );
    const mail = await simpleParser(await readFile(join(out, 'mail.eml')));
    expect(mail.subject).toContain('Uimahalli avautuu');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('subscriber@example.org');
    expect(mail.text).toContain(`${SITE}/releases/uimahalli.html`);
    expect(mail.html).toMatch(/<html[^>]* lang="fi"/);
    expect(mail.headerLines.map((line) => line.key)).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']),
    );
    expect(run.stdout).toContain('the immediate mail a subscriber in fi gets');
  });

  it('writes a Swedish release’s mail in Swedish', async () => {
    const file = await releaseFile(
      'simhall.md',
      '---\ntitle: Simhallen öppnar\ndate: 2026-05-10 09:00\nlang: sv\n---\n\nSimhallen öppnar igen.\n',
    );
    const run = await preview(file);
    expect(run.code).toBe(0);
    const mail = await simpleParser(await readFile(join(out, 'mail.eml')));
    expect(mail.html).toMatch(/<html[^>]* lang="sv"/);
    expect(mail.text).toContain('Simhallen öppnar');
  });

  it('prints the same lines as validate for an invalid file, exits 1 and writes nothing', async () => {
    const file = await releaseFile(
      'rikki.md',
      '---\ntitle: Rikki\ndate: 31.2.2026\n---\n\nTeksti.\n',
    );
    const run = await preview(file);
    const validate = await runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(validate.stdout);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('prints warnings the way validate does', async () => {
    const file = await releaseFile(
      'tagit.md',
      '---\ntitle: Tagit\ndate: 2026-05-10 09:00\ntgas: [a]\n---\n\nTeksti.\n',
    );
    const run = await preview(file);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `${file}:4: warning: \`tgas\` is not a field this system reads, so it was ignored. Did you mean \`tags\`? Write \`tags:\`.`,
    );
  });

  it('writes no mail for an archive import, and the mail of an embargoed release', async () => {
    const old = await releaseFile(
      'vanha.md',
      '---\ntitle: Vanha\ndate: 2019-03-01 10:00\n---\n\nT.\n',
    );
    const run = await preview(old);
    expect(run.code).toBe(0);
    expect(await readdir(out)).toEqual(['page.html']);
    expect(run.stdout).toContain('it is an archive import (dated more than 48 h earlier)');

    await rm(out, { recursive: true });
    const later = await releaseFile(
      'tuleva.md',
      '---\ntitle: Tuleva\ndate: 2026-06-01 09:00\n---\n\nT.\n',
    );
    const embargoed = await preview(later);
    expect((await readdir(out)).sort()).toEqual(['mail.eml', 'page.html']);
    expect(embargoed.stdout).toContain('at 2026-06-01T06:00:00.000Z (embargo)');
  });

  it('exits 2 with a usage message without exactly one file', async () => {
    const run = await runCli(['preview', '--out', out, '--site-url', SITE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give exactly one FILE to preview');
  });
});
