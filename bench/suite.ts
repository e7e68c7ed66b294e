// The test suite's own cost: `npm test` (scripts/test.mjs: the static checks side by side with
// vitest) against the naive way, the same steps one after the other, in the same run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** One timed run of a way of running the suite. */
export interface SuiteRun {
  wallS: number;
  userS: number;
  systemS: number;
  /** vitest's counts, read from its summary. */
  files: number;
  tests: number;
}

/** Both ways, ours first; each is one full run of the suite (minutes). */
export interface SuiteBench {
  ours: SuiteRun;
  serial: SuiteRun;
}

const SERIAL = 'npm run check && npm run cycles && npm run knip && npx vitest run';

/** Times `command` (a shell line) under GNU time; fails if the suite fails. */
function timed(command: string): Promise<SuiteRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'suite-time %e %U %S', 'sh', '-c', command], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      const time = /suite-time ([\d.]+) ([\d.]+) ([\d.]+)/.exec(output);
      const files = /Test Files\s+(\d+) passed/.exec(output);
      const tests = /Tests\s+(\d+) passed/.exec(output);
      if (code !== 0 || !time || !files || !tests) {
        reject(new Error(`${command} failed (exit ${code}):\n${output.slice(-4000)}`));
        return;
      }
      resolve({
        wallS: Number(time[1]),
        userS: Number(time[2]),
        systemS: Number(time[3]),
        files: Number(files[1]),
        tests: Number(tests[1]),
      });
    });
  });
}

/** Runs the whole suite our way (`npm test`'s script) and the serial way, once each. */
export async function benchSuite(): Promise<SuiteBench> {
  const ours = await timed(`node ${join('scripts', 'test.mjs')}`);
  const serial = await timed(SERIAL);
  return { ours, serial };
}
