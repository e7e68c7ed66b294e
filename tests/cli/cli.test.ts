import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { releaseOf2024 } from '../support/releases.js';

const SITE = 'https://tiedotteet.example.fi';

const cli = (args: string[]) => runCli(args);

/** `newsroom build` of the test releases into `into`, as of `now` (default: the clock). */
const build = (into: string, now?: string) =>
  cli([
    'build',
    '--releases',
    releases,
    '--out',
    into,
    '--site-url',
    SITE,
    ...(now ? ['--now', now] : []),
  ]);

function release(title: string, date: string, extra = ''): string {
  return `---\ntitle: "${title}"\ntype: Tiedote\ndate: ${date}\n${extra}---\n\nEnsimmäinen kappale.\n\nToinen kappale.\n`;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

let work: string;
let releases: string;
let out: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-cli-'));
  releases = join(work, 'in');
  out = join(work, 'out');
  await mkdir(join(releases, 'kevät 2021'), { recursive: true });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('newsroom build', () => {
  it('builds every feed, page and the index from nested files with spaces and ä in their names', async () => {
    await writeFile(
      join(releases, 'kevät 2021', 'Uimahalli avautuu.md'),
      release('Uimahalli avautuu', '2021-04-01T09:00:00+03:00'),
    );
    await writeFile(
      join(releases, 'sv.md'),
      release('Simhallen öppnar', '2021-04-02T09:00:00+03:00', 'lang: sv\n'),
    );

    const run = await build(out, '2026-01-01T00:00:00Z');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = await listFiles(out);
    for (const expected of [
      'feeds/atom.xml',
      'feeds/rss.xml',
      'feeds/feed.json',
      'feeds/category/tiedote/atom.xml',
      'feeds/category/tiedote/rss.xml',
      'feeds/category/tiedote/feed.json',
      'feeds/lang/fi/atom.xml',
      'feeds/lang/sv/feed.json',
      'index.html',
    ]) {
      expect(files).toContain(expected);
    }
    expect(
      files.filter((file) => file.startsWith('releases/') && file.endsWith('.html')),
    ).toHaveLength(2);
    const json = JSON.parse(await readFile(join(out, 'feeds/feed.json'), 'utf8'));
    expect(json.items.map((item: { title: string }) => item.title)).toEqual([
      'Simhallen öppnar',
      'Uimahalli avautuu',
    ]);
  });

  it('builds .MD files and skips hidden files and folders (macOS ._ copies, .git) and other files', async () => {
    await writeFile(
      join(releases, 'ISOLLA.MD'),
      release('Isoilla kirjaimilla', '2021-04-01T09:00:00+03:00'),
    );
    // What macOS leaves beside a copied file: binary, and would be rejected if read.
    await writeFile(join(releases, '._ISOLLA.MD'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
    await mkdir(join(releases, '.github'));
    await writeFile(
      join(releases, '.github', 'pull_request_template.md'),
      release('Malli', '2021-04-02T09:00:00+03:00'),
    );
    await writeFile(join(releases, 'kuva.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await writeFile(join(releases, 'muistiinpano.txt'), 'ei tiedote\n');

    const run = await build(out, '2026-01-01T00:00:00Z');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'feeds/feed.json'), 'utf8'));
    expect(json.items.map((item: { title: string }) => item.title)).toEqual([
      'Isoilla kirjaimilla',
    ]);
    expect((await listFiles(out)).filter((file) => file.startsWith('releases/'))).toEqual([
      'releases/isolla.html',
    ]);
  });

  it('reports each rejected file on one stderr line, exits 1 and still builds the rest', async () => {
    await writeFile(
      join(releases, 'good.md'),
      release('Hyvä tiedote', '2021-04-01T09:00:00+03:00'),
    );
    await writeFile(
      join(releases, 'no-date.md'),
      '---\ntitle: Päivämäärä puuttuu\n---\n\nTeksti.\n',
    );
    await writeFile(join(releases, 'empty.md'), '');

    const run = await build(out, '2026-01-01T00:00:00Z');

    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith(`${join(releases, 'no-date.md')}: `))).toBe(true);
    expect(lines.some((line) => line.startsWith(`${join(releases, 'empty.md')}: `))).toBe(true);
    const json = JSON.parse(await readFile(join(out, 'feeds/feed.json'), 'utf8'));
    expect(json.items).toHaveLength(1);
  });

  it('prints warnings on stderr without rejecting the release', async () => {
    await writeFile(
      join(releases, 'tags.md'),
      release('Tagit', '2021-04-01T09:00:00+03:00', 'tgas: [uinti]\n'),
    );
    const run = await build(out, '2026-01-01T00:00:00Z');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `${join(releases, 'tags.md')}:5: warning: \`tgas\` is not a field this system reads, so it was ignored. Did you mean \`tags\`? Write \`tags:\`.\n`,
    );
    expect(run.stdout).toContain('Built 1 release(s)');
  });

  it('keeps a release dated after --now out of every output (embargo)', async () => {
    await writeFile(join(releases, 'now.md'), release('Julkinen', '2025-12-31T12:00:00+02:00'));
    await writeFile(
      join(releases, 'later.md'),
      release('Salainen vielä', '2026-01-02T12:00:00+02:00'),
    );

    const before = await build(out, '2026-01-01T00:00:00Z');
    expect(before.code).toBe(0);
    for (const file of await listFiles(out)) {
      expect(await readFile(join(out, file), 'utf8')).not.toContain('Salainen vielä');
    }

    const after = join(work, 'after');
    await build(after, '2026-01-03T00:00:00Z');
    expect(await readFile(join(after, 'feeds/atom.xml'), 'utf8')).toContain('Salainen vielä');
  });

  it('gives byte-identical output for the same releases', async () => {
    await writeFile(join(releases, 'a.md'), release('Yksi', '2021-04-01T09:00:00+03:00'));
    await writeFile(join(releases, 'b.md'), release('Kaksi', '2021-04-02T09:00:00+03:00'));
    const second = join(work, 'second');

    await build(out);
    await build(second);

    const files = await listFiles(out);
    expect(await listFiles(second)).toEqual(files);
    for (const file of files) {
      expect(await readFile(join(second, file), 'utf8')).toBe(
        await readFile(join(out, file), 'utf8'),
      );
    }
  });

  it('keeps every feed id after a move to a new address when ID_AUTHORITY names the old host', async () => {
    await writeFile(join(releases, 'a.md'), release('Yksi', '2021-04-01T09:00:00+03:00'));
    await writeFile(join(releases, 'b.md'), release('Kaksi', '2021-04-02T09:00:00+03:00'));
    const moved = join(work, 'moved');
    const newSite = 'https://www.kaupunki.example/tiedotteet';
    const args = ['build', '--releases', releases, '--out', moved, '--site-url', newSite];

    await build(out, '2026-01-01T00:00:00Z');
    const run = await runCli([...args, '--now', '2026-01-01T00:00:00Z'], {
      ID_AUTHORITY: new URL(SITE).host,
    });

    expect(run.code).toBe(0);
    const feed = async (dir: string) =>
      JSON.parse(await readFile(join(dir, 'feeds/feed.json'), 'utf8')) as {
        items: { id: string; url: string }[];
      };
    const [before, after] = [await feed(out), await feed(moved)];
    expect(after.items.map((item) => item.id)).toEqual(before.items.map((item) => item.id));
    expect(after.items.every((item) => item.url.startsWith(`${newSite}/releases/`))).toBe(true);

    const bad = await runCli([...args], { ID_AUTHORITY: 'https://vanha/' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ID_AUTHORITY must be a host name');
  });

  it.each([
    [['build', '--out', 'x', '--site-url', SITE]],
    [['build', '--releases', 'x', '--out', 'y', '--site-url', 'not a url']],
    [['build', '--releases', 'x', '--out', 'y', '--site-url', SITE, '--now', 'tomorrow']],
    [['build', '--releases', 'x', '--out', 'y', '--site-url', SITE, '--bogus']],
    [['frobnicate']],
    [[]],
  ])('exits 2 with a usage message for %j', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^newsroom: .+\nUsage:/);
  });
});

describe('npm run newsroom (the bundled CLI)', () => {
  it('builds with worker threads the same files as the TypeScript sources on one thread', async () => {
    // Enough files for worker threads, which in the bundle load no TypeScript loader; one year
    // of dates, as archive pages are not this test's subject.
    for (let index = 0; index < 240; index++) {
      const { path, text } = releaseOf2024(index, 5);
      await mkdir(join(releases, path, '..'), { recursive: true });
      await writeFile(join(releases, path), text);
    }
    const bundled = join(work, 'bundled');
    const args = ['build', '--releases', releases, '--out'];
    const flags = ['--site-url', SITE, '--now', '2026-01-01T00:00:00Z'];
    const viaLauncher = await runCli([...args, bundled, ...flags], {}, { launcher: true });
    expect(viaLauncher.stderr).toBe('');
    expect(viaLauncher.code).toBe(0);
    expect(viaLauncher.stdout).toContain('Built 240 release(s)');
    const alone = await runCli(
      [...args, out, ...flags],
      { NEWSROOM_BUILD_THREADS: '1' },
      { sources: true },
    );
    expect(alone.code).toBe(0);
    const files = await listFiles(out);
    expect(await listFiles(bundled)).toEqual(files);
    for (const file of files) {
      expect(await readFile(join(bundled, file), 'utf8')).toBe(
        await readFile(join(out, file), 'utf8'),
      );
    }
  }, 120_000);

  it('exits 2 with one clear line when the output folder cannot be written', async () => {
    await writeFile(join(releases, 'a.md'), release('Otsikko', '2025-01-01 10:00'));
    const blocked = join(work, 'blocked');
    await writeFile(blocked, 'a file where the output folder should be');
    const run = await runCli([
      'build',
      '--releases',
      releases,
      '--out',
      blocked,
      '--site-url',
      SITE,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toBe(
      `newsroom: "${blocked}" is a file, not a folder: --out takes a folder to write into\n`,
    );
  });

  it('exits 2 when NEWSROOM_BUILD_THREADS is not a thread count', async () => {
    const run = await runCli(['build', '--releases', releases, '--out', out, '--site-url', SITE], {
      NEWSROOM_BUILD_THREADS: 'many',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NEWSROOM_BUILD_THREADS must be an integer from 1 to 256');
  });
});

describe('newsroom validate', () => {
  it('prints PATH: ok or PATH:LINE: reason per file and exits 1 when any is invalid', async () => {
    const good = join(releases, 'good.md');
    const bad = join(releases, 'bad.md');
    await writeFile(good, release('Hyvä', '2021-04-01T09:00:00+03:00'));
    await writeFile(bad, '---\ntitle: Huono\ndate: 31.2.2021\n---\n\nTeksti.\n');

    const run = await cli(['validate', good, bad]);

    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${good}: ok`);
    expect(lines[1]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .+`));
  });

  it('prints warnings as PATH:LINE: warning: reason and still exits 0 for a file with only warnings', async () => {
    const warned = join(releases, 'warned.md');
    await writeFile(
      warned,
      '---\ntitle: Uimahalli\ndate: 2025-02-03 10:00\nsumary: Lyhyesti\nlang: suomi\n---\n\nTeksti.\n',
    );

    const run = await cli(['validate', warned]);

    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${warned}:4: warning: \`sumary\` is not a field this system reads, so it was ignored. Did you mean \`summary\`? Write \`summary:\`.`,
      `${warned}:5: warning: \`lang: suomi\` was read as \`fi\`; write the language code \`lang: fi\`.`,
      `${warned}: ok (2 warnings)`,
    ]);
  });

  it('rejects a missing title written under a Finnish field name, with the field to write', async () => {
    const bad = join(releases, 'otsikko.md');
    await writeFile(bad, '---\ndate: 2025-02-03\notsikko: Uimahalli\n---\n\nTeksti.\n');
    const run = await cli(['validate', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: Expected \`title\``),
    );
    expect(run.stdout).toContain('`otsikko` (write `title`)');
  });

  it('exits 0 when every file is valid and 2 without files', async () => {
    const good = join(releases, 'good.md');
    await writeFile(good, release('Hyvä', '2021-04-01T09:00:00+03:00'));
    expect((await cli(['validate', good])).code).toBe(0);
    expect((await cli(['validate'])).code).toBe(2);
  });
});
