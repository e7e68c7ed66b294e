import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, type CliRun, ROOT, runCli } from '../support/cli.js';

const SITE = 'https://tiedotteet.example.fi';
const VERSION = (
  JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
/** An unprivileged user (nobody), for what another user of the machine sees. */
const OTHER_USER = { uid: 65534, gid: 65534 };
const root = process.getuid?.() === 0;

let work: string;
let releases: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-cli-behaviour-'));
  releases = join(work, 'in');
  await mkdir(releases);
  await writeFile(
    join(releases, 'a.md'),
    '---\ntitle: A\ndate: 2025-01-01 10:00\n---\n\nTeksti.\n',
  );
  // Readable by every user, as a shared checkout's files are.
  await chmod(work, 0o755);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The bundled CLI as `uid`/`gid` (`npm run -s newsroom -- …` run by another user). */
function runAs(user: { uid: number; gid: number }, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts/newsroom.mjs'), ...args],
      { cwd: work, ...user, env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

const build = (out: string, from = releases) =>
  runCli(['build', '--releases', from, '--out', out, '--site-url', SITE]);

describe('help and version', () => {
  it.each([['--help'], ['-h'], ['help']])(
    '%s lists every command on stdout and exits 0',
    async (flag) => {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      for (const command of ['build', 'validate', 'preview', 'digest', 'send-digest']) {
        expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
      }
    },
  );

  it.each([
    ['build', '--help', '--releases DIR'],
    ['preview', '-h', 'DIR/page.html'],
    ['validate', '--help', 'warnings alone exit 0'],
    ['digest', '-h', '--lang fi|sv|en'],
    ['send-digest', '--help', '--local'],
  ])('%s %s explains its options on stdout and exits 0', async (command, flag, option) => {
    const run = await runCli([command, flag]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`Usage: newsroom ${command} `)).toBe(true);
    expect(run.stdout).toContain(option);
  });

  it('prints the version at top level and per command', async () => {
    for (const args of [['--version'], ['build', '--version']]) {
      const run = await runCli(args);
      expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });
});

describe('did you mean', () => {
  it('suggests the command meant', async () => {
    const run = await runCli(['biuld']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'newsroom: unknown command "biuld"; did you mean "build"?',
    );
    expect((await runCli(['vaildate'])).stderr).toContain('did you mean "validate"?');
    expect((await runCli(['frobnicate'])).stderr.split('\n')[0]).toBe(
      'newsroom: unknown command "frobnicate"',
    );
  });

  it('suggests the flag meant, with the usage of that command only', async () => {
    const run = await runCli(['build', '--relases', releases, '--out', 'x', '--site-url', SITE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `newsroom: unknown option --relases; did you mean --releases?\nUsage: newsroom build --releases DIR --out DIR --site-url URL [--now ISO] [--site-config FILE]\nnewsroom build --help explains each option.\n`,
    );
    expect((await runCli(['digest', '--lnag', 'sv'])).stderr).toContain('did you mean --lang?');
  });
});

describe('plain errors for paths', () => {
  it('says a missing releases folder does not exist', async () => {
    const run = await build(join(work, 'out'), join(work, 'ei-ole'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `newsroom: the folder "${join(work, 'ei-ole')}" (--releases) does not exist\n`,
    );
  });

  it('says a file was given where a folder was expected', async () => {
    const file = join(releases, 'a.md');
    const asReleases = await build(join(work, 'out'), file);
    expect(asReleases.code).toBe(2);
    expect(asReleases.stderr).toContain(
      `"${file}" is a file, not a folder: --releases takes the folder`,
    );
    const asOut = await build(file);
    expect(asOut.code).toBe(2);
    expect(asOut.stderr).toBe(
      `newsroom: "${file}" is a file, not a folder: --out takes a folder to write into\n`,
    );
  });

  it.each([['/proc/newsroom-x'], ['/sys/newsroom-x/y']])(
    'refuses %s, on a special file system, at once',
    async (out) => {
      const run = await build(out);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^newsroom: ".+" is on a special file system \((proc|sysfs)\) that holds no files/,
      );
    },
    20_000,
  );

  it.runIf(root)('says a folder the user may not write into is not writable', async () => {
    const locked = join(work, 'lukittu');
    await mkdir(locked, { mode: 0o555 });
    await chmod(locked, 0o555);
    const run = await runAs(OTHER_USER, [
      'build',
      '--releases',
      releases,
      '--out',
      join(locked, 'out'),
      '--site-url',
      SITE,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `newsroom: cannot write into "${locked}" (--out): permission denied`,
    );
  });
});

describe('the bundle in dist/', () => {
  it.runIf(root)(
    'is usable by another user of the checkout',
    async () => {
      expect((await runCli(['--version'], {}, { launcher: true })).code).toBe(0);
      const folder = await stat(join(ROOT, 'dist', 'cli'));
      expect(folder.mode & 0o005).toBe(0o005);
      const other = await runAs(OTHER_USER, ['validate', join(releases, 'a.md')]);
      expect(other.stderr).toBe('');
      expect(other).toMatchObject({ code: 0, stdout: `${join(releases, 'a.md')}: ok\n` });
    },
    120_000,
  );
});

describe('progress', () => {
  it('is silent when stderr is not a terminal', async () => {
    const run = await build(join(work, 'hiljaa'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('shows a status line on a terminal and clears it', async () => {
    const out = join(work, 'tty');
    const command = [process.execPath, CLI_BUNDLE]
      .concat(['build', '--releases', releases, '--out', out, '--site-url', SITE])
      .map((part) => `'${part}'`)
      .join(' ');
    // script(1) runs the CLI on a pseudo-terminal, so stderr is a TTY as in an interactive shell.
    const run = await new Promise<string>((resolve) => {
      execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT }, (_error, stdout) =>
        resolve(stdout),
      );
    });
    expect(run).toContain('\r\u001b[KLooking for release files in');
    expect(run).toContain('\r\u001b[KBuilt 1 release(s)');
  }, 60_000);
});
