import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byTag, parseHtml } from '../pages/html-check.js';
import { runCli } from '../support/cli.js';
import { parseFeed, xmllintErrors } from '../support/feed-check.js';
import {
  htmlBytes,
  jpegBytes,
  pdfBytes,
  pngBytes,
  svgWithScriptBytes,
} from '../support/media-bytes.js';

const SITE_URL = 'https://tiedotteet.example.fi';
const NOW = '2025-06-01T00:00:00Z';
let dir: string;
let releases: string;
const bytes: Record<string, Uint8Array> = {
  '2024/kuva.jpg': jpegBytes(1200, 675),
  '2024/kuvat/sali.png': pngBytes(40, 30),
  '2024/Päätös ä.pdf': pdfBytes('Paatos'),
  '2024/kartta.png': htmlBytes(),
  '2024/logo.svg': svgWithScriptBytes(),
  '2025/kuva.jpg': jpegBytes(64, 48),
  '2025/salainen.jpg': jpegBytes(16, 16),
};

const RELEASE_A = `---
title: Kirjasto avautuu
date: 2024-05-27 10:00
image: kuva.jpg
image_alt: Kirjaston julkisivu
---

Kirjasto avautuu maanantaina.

![Lukusali](kuvat/sali.png)

Päätös: [päätös (PDF)](<Päätös ä.pdf>). Kartta: ![Kartta](kartta.png)

![Logo](logo.svg)

[Liite](iso.pdf) ja [toinen](puuttuu.docx).
`;

async function build(out: string) {
  return runCli([
    'build',
    '--releases',
    releases,
    '--out',
    out,
    '--site-url',
    SITE_URL,
    '--now',
    NOW,
  ]);
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsroom-media-'));
  releases = join(dir, 'releases');
  await mkdir(join(releases, '2024', 'kuvat'), { recursive: true });
  await mkdir(join(releases, '2025'), { recursive: true });
  for (const [path, body] of Object.entries(bytes)) await writeFile(join(releases, path), body);
  // 25 MB and one byte, sparse: the size alone refuses it.
  await writeFile(join(releases, '2024', 'iso.pdf'), pdfBytes());
  await truncate(join(releases, '2024', 'iso.pdf'), 25 * 1024 * 1024 + 1);
  await writeFile(join(releases, '2024', 'a.md'), RELEASE_A);
  await writeFile(
    join(releases, '2025', 'b.md'),
    '---\ntitle: Toinen kuva\ndate: 2025-01-02 09:00\nimage: kuva.jpg\n---\n\nTeksti.\n',
  );
  await writeFile(
    join(releases, '2025', 'c.md'),
    '---\ntitle: Tuleva\ndate: 2025-12-24 09:00\nimage: salainen.jpg\n---\n\nEmbargo.\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('newsroom build with pictures and attachments', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    out = join(dir, 'out');
    run = await build(out);
  });

  it('publishes the release and warns, as PATH:LINE: warning:, about each file not published', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Built 3 release(s)');
    const a = join(releases, '2024', 'a.md');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${a}:12: warning: \`2024/kartta\\.png\` was not published: The file is named \\.png but its content is not a PNG picture`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${a}:14: warning: \`2024/logo\\.svg\` was not published: SVG pictures can carry scripts`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${a}:16: warning: \`2024/iso\\.pdf\` was not published: The file is 25\\.0 MB; files over 25 MB`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${a}:16: warning: \`2024/puuttuu\\.docx\` was not published: The file was not found`,
        ),
      ),
    ]);
  });

  it("writes each published file, byte for byte, at its public path, and nothing else (an embargoed release's picture neither)", async () => {
    const media = (await listFiles(out)).filter((path) => path.startsWith('media/'));
    expect(media).toEqual([
      'media/2024/Päätös ä.pdf',
      'media/2024/kuva.jpg',
      'media/2024/kuvat/sali.png',
      'media/2025/kuva.jpg',
    ]);
    for (const path of media) {
      expect(Buffer.from(await readFile(join(out, path)))).toEqual(
        Buffer.from(bytes[path.slice('media/'.length)] ?? new Uint8Array()),
      );
    }
  });

  it('gives pictures on the page their real size, and drops what is not published', async () => {
    const html = await readFile(join(out, 'releases', '2024-a.html'), 'utf8');
    const { errors, root } = parseHtml(html);
    expect(errors).toEqual([]);
    const images = byTag(root, 'img').map((img) => img.attrs);
    expect(images).toEqual([
      {
        src: `${SITE_URL}/media/2024/kuva.jpg`,
        alt: 'Kirjaston julkisivu',
        width: '1200',
        height: '675',
      },
      { src: `${SITE_URL}/media/2024/kuvat/sali.png`, alt: 'Lukusali', width: '40', height: '30' },
    ]);
    const links = byTag(root, 'a').map((a) => a.attrs.href ?? '');
    expect(links).toContain(`${SITE_URL}/media/2024/P%C3%A4%C3%A4t%C3%B6s%20%C3%A4.pdf`);
    expect(links.filter((href) => /iso\.pdf|puuttuu|kartta|logo/.test(href))).toEqual([]);
    // Links to files not published keep their text and lose the link.
    expect(html).toContain('<p>Liite ja toinen.</p>');
  });

  it('announces the picture and the document in the feeds with real types and lengths', async () => {
    const rss = await readFile(join(out, 'feeds', 'rss.xml'), 'utf8');
    const atom = await readFile(join(out, 'feeds', 'atom.xml'), 'utf8');
    expect(xmllintErrors(rss)).toBe('');
    expect(xmllintErrors(atom)).toBe('');
    const item = parseFeed(rss).entries.find((entry) => entry.title === 'Kirjasto avautuu');
    expect(item?.enclosures).toEqual([
      expect.objectContaining({
        href: `${SITE_URL}/media/2024/kuva.jpg`,
        type: 'image/jpeg',
        length: String(bytes['2024/kuva.jpg']?.length),
      }),
    ]);
    expect(item?.mediaContent.map((media) => media.url)).toEqual([
      `${SITE_URL}/media/2024/kuva.jpg`,
      `${SITE_URL}/media/2024/P%C3%A4%C3%A4t%C3%B6s%20%C3%A4.pdf`,
    ]);
    const entry = parseFeed(atom).entries.find((e) => e.title === 'Kirjasto avautuu');
    expect(entry?.enclosures.map((link) => [link.type, link.length])).toEqual([
      ['image/jpeg', String(bytes['2024/kuva.jpg']?.length)],
      ['application/pdf', String(bytes['2024/Päätös ä.pdf']?.length)],
    ]);
    const json = JSON.parse(await readFile(join(out, 'feeds', 'feed.json'), 'utf8')) as {
      items: { title: string; image?: string; attachments?: unknown[] }[];
    };
    const jsonItem = json.items.find((i) => i.title === 'Kirjasto avautuu');
    expect(jsonItem?.image).toBe(`${SITE_URL}/media/2024/kuva.jpg`);
    expect(jsonItem?.attachments).toEqual([
      {
        url: `${SITE_URL}/media/2024/P%C3%A4%C3%A4t%C3%B6s%20%C3%A4.pdf`,
        mime_type: 'application/pdf',
        title: 'Päätös ä.pdf',
        size_in_bytes: bytes['2024/Päätös ä.pdf']?.length,
      },
    ]);
  });

  it('builds the same bytes again, media included', async () => {
    const again = join(dir, 'again');
    const second = await build(again);
    expect(second.stderr).toBe(run.stderr.replaceAll(out, again));
    const files = await listFiles(out);
    expect(await listFiles(again)).toEqual(files);
    for (const path of files) {
      expect(await readFile(join(again, path)), path).toEqual(await readFile(join(out, path)));
    }
  });
});

describe('newsroom build with media on worker threads', () => {
  it('writes the same pages and media whichever thread parsed a release (240 releases)', async () => {
    const root = join(dir, 'many');
    await mkdir(join(root, 'yhteiset'), { recursive: true });
    await writeFile(join(root, 'yhteiset', 'logo.png'), pngBytes(120, 40));
    for (let index = 0; index < 240; index++) {
      const folder = join(root, `t${index % 12}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `kuva${index}.jpg`), jpegBytes(16 + index, 9 + (index % 50)));
      await writeFile(
        join(folder, `r${index}.md`),
        `---\ntitle: Tiedote ${index}\ndate: 2024-01-01 10:00\nimage: kuva${index}.jpg\n---\n\n![Logo](../yhteiset/logo.png)\n\nTeksti ${index}.\n`,
      );
    }
    const outs = { one: join(dir, 'many-1'), three: join(dir, 'many-3') };
    const runs = await Promise.all([
      runCli(
        ['build', '--releases', root, '--out', outs.one, '--site-url', SITE_URL, '--now', NOW],
        {
          NEWSROOM_BUILD_THREADS: '1',
        },
      ),
      runCli(
        ['build', '--releases', root, '--out', outs.three, '--site-url', SITE_URL, '--now', NOW],
        {
          NEWSROOM_BUILD_THREADS: '3',
        },
      ),
    ]);
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const files = await listFiles(outs.one);
    expect(await listFiles(outs.three)).toEqual(files);
    expect(files.filter((path) => path.startsWith('media/'))).toHaveLength(241);
    for (const path of files) {
      expect(await readFile(join(outs.three, path)), path).toEqual(
        await readFile(join(outs.one, path)),
      );
    }
    const page = await readFile(join(outs.three, 'releases', 't7-r199.html'), 'utf8');
    expect(page).toContain(
      `<img src="${SITE_URL}/media/t7/kuva199.jpg" alt="" width="215" height="58">`,
    );
    expect(page).toContain(
      `<img src="${SITE_URL}/media/yhteiset/logo.png" alt="Logo" width="120" height="40" />`,
    );
  }, 120_000);
});
