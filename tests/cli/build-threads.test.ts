import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseSpill, type ReleaseStub } from '../../src/cli/build-spill.js';
import { BuildThreads, type ThreadOptions } from '../../src/cli/build-threads.js';
import { SiteWriter, writeSiteFiles } from '../../src/cli/files.js';
import { parseInProcess } from '../../src/cli/parse-files.js';
import type { ParseResult, Release } from '../../src/release/types.js';
import { findReleaseFiles, type ReleaseFileRef } from '../../src/shared/release-files.js';
import {
  archiveMonthFileCount,
  archiveMonths,
  buildSite,
  listingFiles,
  planSite,
  siteListingFiles,
} from '../../src/site/build.js';
import { DEFAULT_SITE, type SiteConfig, type SiteFile } from '../../src/site/config.js';
import { releaseOf2024 } from '../support/releases.js';
import { readTree } from '../support/tree.js';

const OPTIONS = {
  siteUrl: 'https://tiedotteet.example.fi',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
};
const SITE: SiteConfig = { ...DEFAULT_SITE, ...OPTIONS, title: 'Esimerkkikaupunki' };

/** Parses `refs` with fresh threads, then stops them. */
async function parseWith(
  refs: readonly ReleaseFileRef[],
  options: ThreadOptions,
): Promise<ParseResult[]> {
  const threads = BuildThreads.start(refs.length, options);
  try {
    return await threads.parse(refs, OPTIONS);
  } finally {
    await threads.close();
  }
}

function release(title: string, date: string): string {
  return `---\ntitle: ${title}\ntype: Tiedote\ndate: ${date}\n---\n\nEnsimmäinen kappale.\n`;
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-parse-files-'));
  const releases = join(work, 'releases');
  // Enough files for worker threads, with rejected files and raw HTML spread among them; one
  // year of dates, as archive pages are not this file's subject.
  for (let index = 0; index < 300; index++) {
    const { path, text } = releaseOf2024(index, 7);
    await mkdir(join(releases, path, '..'), { recursive: true });
    let body = text;
    if (index % 37 === 0) body = text.replace('date: ', 'date: 31.2.');
    if (index % 41 === 0)
      body = `${body}\n<p onclick="x()">Raaka <b>HTML</b><script>x()</script></p>\n`;
    // Finnish, Swedish and English versions of one release (generateRelease picks the language
    // by index % 10): their pages link each other, which only the whole set can decide.
    if (index < 150 && [6, 7, 9].includes(index % 10))
      body = body.replace('---\n', `---\ntranslation_key: avain-${Math.floor(index / 10)}\n`);
    await writeFile(join(releases, path), body);
  }
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('BuildThreads.parse', () => {
  it('gives every file the result it gets on this thread alone, in input order', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    expect(refs).toHaveLength(300);
    const alone = await parseInProcess(refs, OPTIONS);
    // Worker threads only, so that their results are the ones checked.
    const byWorkers = await parseWith(refs, { threads: 2, parseHere: false });
    expect(byWorkers).toEqual(alone);
    expect(await parseWith(refs, { threads: 3 })).toEqual(alone);
    expect(alone.filter((result) => !result.ok)).toHaveLength(9);
    // Generated releases are spread over the years, so file order is not index order.
    const withHtml = alone.find((r) => r.ok && r.release.sourcePath.endsWith('release-00041.md'));
    expect(withHtml?.ok && withHtml.release.contentHtml).toContain('Raaka <b>HTML</b></p>');
    expect(withHtml?.ok && withHtml.release.contentHtml).not.toMatch(/script|onclick/);
  }, 60_000);

  it('fails with the reading error when a file is gone, also from a worker thread', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    const gone = { displayPath: join(work, 'gone.md'), relativePath: 'gone.md' };
    const failure = parseWith([...refs, gone], { threads: 2, parseHere: false });
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('parses on this thread alone when told to use one thread', async () => {
    const refs = (await findReleaseFiles(join(work, 'releases'))).slice(0, 250);
    const alone = await parseInProcess(refs, OPTIONS);
    expect(await parseWith(refs, { threads: 1 })).toEqual(alone);
  });
});

describe('BuildThreads.writePages', () => {
  it('writes the same files as buildSite, whichever thread parsed or wrote a release', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    const dates = (await parseInProcess(refs, OPTIONS))
      .flatMap((result) => (result.ok ? [result.release.published.getTime()] : []))
      .sort((a, b) => a - b);
    const now = new Date(dates[Math.floor(dates.length / 2)] as number);
    for (const options of [{ threads: 2, parseHere: false }, { threads: 3 }, { threads: 1 }]) {
      const out = join(work, `pages-${options.threads}-${options.parseHere ?? true}`);
      const threads = BuildThreads.start(refs.length, options);
      try {
        const releases = (await threads.parse(refs, OPTIONS)).flatMap((result): Release[] =>
          result.ok ? [result.release] : [],
        );
        // Two releases claiming one slug: the pages must follow the resolved slugs.
        const first = releases[0] as Release;
        releases[1] = { ...(releases[1] as Release), slug: first.slug, url: first.url };
        const plan = planSite(releases, SITE, now);
        expect(plan.live.length).toBeLessThan(releases.length); // some are under embargo
        expect(plan.live.filter((live) => live.translations !== undefined).length).toBeGreaterThan(
          5,
        );
        const writer = new SiteWriter(out);
        await threads.writePages(plan.live, SITE, writer, () => {
          for (const file of listingFiles(plan, SITE)) writer.write(file);
        });
        const expected = buildSite(releases, SITE, now).files;
        const written = await readTree(out);
        expect([...written.keys()].sort()).toEqual(expected.map((file) => file.path).sort());
        for (const file of expected) expect(written.get(file.path)).toBe(file.body);
      } finally {
        await threads.close();
      }
    }
  }, 60_000);

  it('writes the same files from spilled releases, the months shared out like the pages', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    const whole = (await parseInProcess(refs, OPTIONS)).flatMap((result): Release[] =>
      result.ok ? [result.release] : [],
    );
    const now = new Date('2024-09-15T00:00:00Z');
    // Two releases claiming one slug: the pages must follow the resolved slugs.
    const claim = <T extends Pick<Release, 'slug' | 'url'>>(releases: T[]) => {
      const first = releases[0] as T;
      releases[1] = { ...(releases[1] as T), slug: first.slug, url: first.url };
    };
    claim(whole);
    const expected = buildSite(whole, SITE, now).files;
    for (const options of [{ threads: 2, parseHere: false }, { threads: 1 }]) {
      const out = join(work, `spilled-${options.threads}`);
      const threads = BuildThreads.start(refs.length, options);
      const spill = ReleaseSpill.open();
      try {
        const stubs = (await threads.parse(refs, OPTIONS, undefined, spill)).flatMap(
          (result): ReleaseStub[] => (result.ok ? [result.release] : []),
        );
        claim(stubs);
        const plan = planSite(stubs, SITE, now);
        const months = archiveMonths(plan, SITE);
        expect(plan.live.length).toBeLessThan(stubs.length); // some are under embargo
        expect(plan.live.filter((live) => live.translations !== undefined).length).toBeGreaterThan(
          5,
        );
        expect(months.length).toBeGreaterThan(5);
        const writer = new SiteWriter(out);
        const read = (planned: readonly ReleaseStub[], withBodies: boolean) =>
          spill.read(planned, withBodies);
        await threads.writePages(
          plan.live,
          SITE,
          writer,
          () => {
            for (const file of siteListingFiles(plan, SITE, read)) writer.write(file);
          },
          spill,
          months,
        );
        const written = await readTree(out);
        expect([...written.keys()].sort()).toEqual(expected.map((file) => file.path).sort());
        for (const file of expected) expect(written.get(file.path), file.path).toBe(file.body);
        const counted = months.reduce((sum, month) => sum + archiveMonthFileCount(month), 0);
        const monthFiles = [...written.keys()].filter((path) =>
          /^(archive\/\d{4}\/|sitemaps\/\d{4}-|feeds\/.*archive\/)/.test(path),
        );
        expect(counted).toBe(monthFiles.length);
      } finally {
        spill.close();
        await threads.close();
      }
    }
  }, 60_000);

  it('writes distinct pages for files whose names differ only in Unicode normalization', async () => {
    const dir = join(work, 'normalization');
    for (let index = 0; index < 240; index++) {
      const { path, text } = releaseOf2024(index, 11);
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    // One path for the release identity (NFC), two files on disk: both must get a page.
    const name = 'Kevät.md';
    await writeFile(join(dir, name.normalize('NFC')), release('Kevät NFC', '2021-04-01 10:00'));
    await writeFile(join(dir, name.normalize('NFD')), release('Kevät NFD', '2021-04-02 10:00'));
    const refs = await findReleaseFiles(dir);
    const now = new Date('2030-01-01T00:00:00Z');
    const threads = BuildThreads.start(refs.length, { threads: 2, parseHere: false });
    const out = join(work, 'normalization-out');
    try {
      const releases = (await threads.parse(refs, OPTIONS)).flatMap((result): Release[] =>
        result.ok ? [result.release] : [],
      );
      const plan = planSite(releases, SITE, now);
      const writer = new SiteWriter(out);
      await threads.writePages(plan.live, SITE, writer);
      const pages = buildSite(releases, SITE, now).files.filter((file) =>
        file.path.startsWith('releases/'),
      );
      const written = await readTree(out);
      expect(written.size).toBe(pages.length);
      for (const page of pages) expect(written.get(page.path)).toBe(page.body);
      const spring = [...written.values()].filter((body) => body.includes('<h1>Kevät NF'));
      expect(spring).toHaveLength(2);
    } finally {
      await threads.close();
    }
  }, 60_000);

  it('fails with the writing error when the pages folder cannot be made', async () => {
    const refs = await findReleaseFiles(join(work, 'releases'));
    const out = join(work, 'blocked');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'releases'), 'a file where the folder should be');
    // Worker threads only, so that the pages are theirs to write.
    const threads = BuildThreads.start(refs.length, { threads: 2, parseHere: false });
    try {
      const releases = (await threads.parse(refs, OPTIONS)).flatMap((result): Release[] =>
        result.ok ? [result.release] : [],
      );
      const plan = planSite(releases, SITE, new Date('2030-01-01T00:00:00Z'));
      const writing = threads.writePages(plan.live, SITE, new SiteWriter(out));
      await expect(writing).rejects.toMatchObject({
        code: expect.stringMatching(/EEXIST|ENOTDIR/),
      });
    } finally {
      await threads.close();
    }
  }, 60_000);
});

describe('writeSiteFiles', () => {
  it('writes every file, creating nested folders, and overwrites what is there', async () => {
    const out = join(work, 'out');
    const file = (path: string, body: string): SiteFile => ({
      path,
      body,
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    await writeSiteFiles(out, [file('index.html', 'vanha'), file('feeds/lang/sv/atom.xml', 'x')]);
    await writeSiteFiles(out, [
      file('index.html', 'Etusivu – ä'),
      file('releases/a.html', 'A'),
      file('feeds/lang/sv/atom.xml', '<feed/>'),
    ]);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('Etusivu – ä');
    expect(await readFile(join(out, 'feeds/lang/sv/atom.xml'), 'utf8')).toBe('<feed/>');
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      'feeds',
      'feeds/lang',
      'feeds/lang/sv',
      'feeds/lang/sv/atom.xml',
      'index.html',
      'releases',
      'releases/a.html',
    ]);
  });
});
