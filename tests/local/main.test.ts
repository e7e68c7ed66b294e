import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

let work: string;
/** The children's TMPDIR: what they leave behind there is what a user's /tmp would keep. */
let temp: string;
let releases: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-main-'));
  temp = join(work, 'tmp');
  releases = join(work, 'releases');
  await mkdir(temp);
  await mkdir(releases);
  // tsx caches what it transpiled in $TMPDIR/tsx-<uid>. Pointing that at this user's usual cache
  // lets the children reuse one another's work instead of transpiling the sources afresh.
  const cache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  await mkdir(join(tmpdir(), cache), { recursive: true });
  await symlink(join(tmpdir(), cache), join(temp, cache));
  await writeFile(
    join(releases, 'hyva.md'),
    '---\ntitle: Hyvä\ndate: 2026-01-01 10:00\n---\n\nTeksti.\n',
  );
  await writeFile(join(releases, 'rikki.md'), '---\ntitle: Rikki\n---\n\nPäivämäärä puuttuu.\n');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** `npm start -- …` as a process group of its own (as a terminal runs it), collecting stdout. */
function start(args: string[]): {
  child: ChildProcess;
  output: () => string;
  /** Resolves once stdout holds `text`; rejects if the process exits first. */
  printed: (text: string) => Promise<void>;
  exited: Promise<number | null>;
} {
  // Without --openssl-legacy-provider in the environment: main.ts re-executes itself, so the
  // group holds two processes, as under `npm start`.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: temp,
    S3_PORT: '0',
    SES_PORT: '0',
    WEB_PORT: '0',
  };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/local/main.ts'), '--releases', releases, ...args],
    { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      check();
      exited.then(() => reject(new Error(`never printed "${text}":\n${stdout}`)));
    });
  return { child, output: () => stdout, printed, exited };
}

/** What the stack left in its TMPDIR (tsx keeps its own cache there). */
async function leftovers(): Promise<string[]> {
  return (await readdir(temp)).filter((name) => !name.startsWith('tsx-'));
}

describe('npm start -- --once', () => {
  it('prints the summary with each rejection and its reason, no URL of a stopped server, and leaves no data', async () => {
    const run = start(['--once']);
    expect(await run.exited).toBe(0);
    const stdout = run.output();
    expect(stdout).toContain('Published 1 of 2 release file(s);');
    expect(stdout).toMatch(/^ {2}rejected: rikki\.md: Expected `date` in front matter/m);
    expect(stdout).not.toMatch(/http:\/\/(localhost|127\.0\.0\.1):\d+/);
    expect(stdout).not.toContain('Watching');
    expect(await leftovers()).toEqual([]);
  }, 150_000);
});

describe('Ctrl+C', () => {
  it.each([
    ['once', []],
    ['twice at once (every process of the group)', [10]],
    ['twice, the second while stopping', [600]],
  ] as const)(
    'to the whole process group, %s, removes the temporary data',
    async (_, repeats) => {
      const run = start([]);
      await run.printed('Watching');
      expect((await leftovers()).some((name) => name.startsWith('newsroom-local-'))).toBe(true);
      const group = -(run.child.pid as number);
      process.kill(group, 'SIGINT');
      for (const delay of repeats) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        try {
          process.kill(group, 'SIGINT');
        } catch {
          // Already gone.
        }
      }
      expect(await run.exited).not.toBeNull();
      expect(await leftovers()).toEqual([]);
    },
    150_000,
  );
});

describe('npm start -- --data DIR', () => {
  it('keeps the buckets and the subscribers between restarts', async () => {
    const data = join(work, 'data');
    const first = start(['--data', data]);
    await first.printed('Watching');
    const api = /API {10}(\S+)/.exec(first.output())?.[1] ?? '';
    const response = await fetch(`${api}subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email: 'asukas@example.org', lang: 'fi', frequency: 'daily' }),
    });
    expect(response.status).toBe(202);
    process.kill(-(first.child.pid as number), 'SIGINT');
    await first.exited;

    const stored = await readdir(join(data, 's3', 'newsroom-releases'), { recursive: true });
    expect(stored.some((path) => path.startsWith('subscribers/'))).toBe(true);
    const second = start(['--data', data, '--once']);
    expect(await second.exited).toBe(0);
    // Nothing to upload again: the bucket kept the files, and the subscriber is still there.
    expect(second.output()).toContain('uploaded 0 release file(s)');
    expect(second.output()).toContain(`Buckets and subscribers are kept in ${data}.`);
    const again = await readdir(join(data, 's3', 'newsroom-releases'), { recursive: true });
    expect(again.filter((path) => path.startsWith('subscribers/'))).toEqual(
      stored.filter((path) => path.startsWith('subscribers/')),
    );
  }, 200_000);
});
