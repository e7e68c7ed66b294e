import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byTag, parseHtml } from '../pages/html-check.js';
import { runCli } from '../support/cli.js';
import { jpegBytes, pdfBytes, svgWithScriptBytes } from '../support/media-bytes.js';

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

const preview = (file: string, now = NOW, more: string[] = []) =>
  runCli(['preview', file, '--out', out, '--site-url', SITE, '--now', now, ...more], {
    MAIL_FROM: '',
  });

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

describe('newsroom preview with pictures and attachments', () => {
  const picture = jpegBytes(320, 180);
  const attachment = pdfBytes('Päätös');
  const release = (image: string) =>
    `---\ntitle: Kirjasto avautuu\ndate: 2026-05-10 09:00\nimage: ${image}\nimage_alt: Julkisivu\n---\n\nKirjasto avautuu.\n\n![Lukusali](kuvat/sali.jpg)\n\nLue [päätös (PDF)](<Päätös ä.pdf>).\n`;

  async function releasesFolder(image = 'kuva.jpg'): Promise<string> {
    await mkdir(join(work, '2026', 'kuvat'), { recursive: true });
    await writeFile(join(work, '2026', 'kuva.jpg'), picture);
    await writeFile(join(work, '2026', 'kuvat', 'sali.jpg'), picture);
    await writeFile(join(work, '2026', 'Päätös ä.pdf'), attachment);
    return releaseFile(join('2026', 'kirjasto.md'), release(image));
  }

  it('copies the media beside page.html, byte for byte, and the page shows those copies', async () => {
    const file = await releasesFolder();

    const run = await preview(file);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('warning');
    expect(run.stdout).toContain(`Wrote 3 media file(s) under ${join(out, 'media')}.`);
    for (const [local, bytes] of [
      ['media/kuva.jpg', picture],
      ['media/kuvat/sali.jpg', picture],
      ['media/Päätös ä.pdf', attachment],
    ] as const) {
      expect(Buffer.from(await readFile(join(out, local)))).toEqual(Buffer.from(bytes));
    }
    const { errors, root } = parseHtml(await readFile(join(out, 'page.html'), 'utf8'));
    expect(errors).toEqual([]);
    const pageUrl = pathToFileURL(join(out, 'page.html'));
    const shown = byTag(root, 'img').map((img) =>
      fileURLToPath(new URL(img.attrs.src ?? '', pageUrl)),
    );
    expect(shown).toEqual([join(out, 'media/kuva.jpg'), join(out, 'media/kuvat/sali.jpg')]);
    for (const path of shown) expect((await readFile(path)).length).toBe(picture.length);
    const pdfLink = byTag(root, 'a').find((a) => a.text === 'päätös (PDF)');
    expect(fileURLToPath(new URL(pdfLink?.attrs.href ?? '', pageUrl))).toBe(
      join(out, 'media/Päätös ä.pdf'),
    );
    // The page's own address and its share picture stay the published ones.
    expect(byTag(root, 'link').find((l) => l.attrs.rel === 'canonical')?.attrs.href).toBe(
      `${SITE}/releases/kirjasto.html`,
    );
  });

  it('keeps the absolute public URLs in the mail', async () => {
    const file = await releasesFolder();
    expect((await preview(file)).code).toBe(0);
    const mail = await simpleParser(await readFile(join(out, 'mail.eml')));
    expect(mail.html).toContain(`${SITE}/media/kuva.jpg`);
    expect(mail.html).not.toMatch(/src="media\//);
    const sources = [...String(mail.html).matchAll(/<img[^>]* src="([^"]+)"/g)].map((m) => m[1]);
    for (const src of sources) expect(src).toMatch(/^https:\/\//);
  });

  it('finds media in a parent folder when --releases names the releases folder', async () => {
    await mkdir(join(work, 'yhteiset'), { recursive: true });
    await writeFile(join(work, 'yhteiset', 'logo.jpg'), picture);
    await mkdir(join(work, '2026'), { recursive: true });
    const nested = await releaseFile(
      join('2026', 'logo.md'),
      '---\ntitle: Logo\ndate: 2026-05-10 09:00\nimage: ../yhteiset/logo.jpg\n---\n\nT.\n',
    );

    const alone = await preview(nested);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('points outside the releases folder');

    const run = await runCli(
      ['preview', nested, '--releases', work, '--out', out, '--site-url', SITE, '--now', NOW],
      { MAIL_FROM: '' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('warning');
    expect(Buffer.from(await readFile(join(out, 'media/yhteiset/logo.jpg')))).toEqual(
      Buffer.from(picture),
    );
    const outside = await runCli(
      ['preview', nested, '--releases', join(work, 'yhteiset'), '--out', out, '--site-url', SITE],
      { MAIL_FROM: '' },
    );
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is not inside the releases folder');
  });

  it('prints the build’s line for each missing or refused file and exits 1', async () => {
    const file = await releasesFolder('puuttuu.jpg');
    await writeFile(join(work, '2026', 'kuvat', 'sali.jpg'), svgWithScriptBytes());
    await writeFile(join(work, '2026', 'Päätös ä.pdf'), attachment);
    await truncate(join(work, '2026', 'Päätös ä.pdf'), 25 * 1024 * 1024 + 1);

    const run = await preview(file, NOW, ['--releases', work]);
    const built = await runCli([
      'build',
      '--releases',
      work,
      '--out',
      join(work, 'built'),
      '--site-url',
      SITE,
      '--now',
      NOW,
    ]);

    expect(run.code).toBe(1);
    const problems = run.stdout.split('\n').filter((line) => line.includes(': warning: '));
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(built.stderr.trim().split('\n'));
    expect(problems[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(file)}:4: warning: \`2026/puuttuu\\.jpg\` was not published: The file was not found`,
      ),
    );
    expect(run.stdout).toContain('3 media problem(s) above');
    // The page is still written, as it would be published: without the files.
    const { root } = parseHtml(await readFile(join(out, 'page.html'), 'utf8'));
    expect(byTag(root, 'img')).toEqual([]);
    await expect(readdir(join(out, 'media'))).rejects.toThrow();
  });
});

describe('newsroom validate with pictures and attachments', () => {
  it('prints the same line as preview for a missing or refused file, and exits 0 (a warning)', async () => {
    const file = await releaseFile(
      'kuvaton.md',
      '---\ntitle: Kuvaton\ndate: 2026-05-10 09:00\nimage: puuttuu.jpg\n---\n\n![Logo](logo.svg)\n',
    );
    await writeFile(join(work, 'logo.svg'), svgWithScriptBytes());

    const validate = await runCli(['validate', file]);
    const run = await preview(file);

    const warnings = validate.stdout.split('\n').filter((line) => line.includes(': warning: '));
    expect(warnings).toEqual([
      `${file}:4: warning: \`puuttuu.jpg\` was not published: The file was not found beside the release. Upload it too, or check the spelling and letter case of its name.`,
      `${file}:7: warning: \`logo.svg\` was not published: SVG pictures can carry scripts, so they are not published. Save the picture as PNG or JPEG.`,
    ]);
    expect(validate.stdout).toContain(`${file}: ok (2 warnings)`);
    expect(validate.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.includes(': warning: '))).toEqual(warnings);
    expect(run.code).toBe(1);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
