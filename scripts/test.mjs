// `npm test`: the static checks (Biome and tsc, madge, knip) side by side with the test suite.
// Run one after the other they kept one core idle for half a minute before vitest started; now
// both cores work from the start. vitest prints as it runs; each check's output is held back and
// shown whole when it finishes (only if it failed), so the two never interleave line by line.
// Any failure fails the run, after everything has finished. Arguments go to `vitest run`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHECKS = ['check', 'cycles', 'knip'];

/** Runs `command` with its output collected; resolves to its exit code and output. */
function collected(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) =>
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

/** Runs `command` with the terminal; resolves to its exit code. */
function inherited(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const started = Date.now();
const checks = CHECKS.map(async (script) => {
  const result = await collected('npm', ['run', '--silent', script]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.code !== 0) {
    process.stderr.write(
      `\n── npm run ${script} FAILED (exit ${result.code}, ${seconds} s) ──\n${result.output}\n── end of npm run ${script} ──\n`,
    );
  }
  return { script, code: result.code, seconds };
});
const tests = inherited(join(ROOT, 'node_modules', '.bin', 'vitest'), [
  'run',
  ...process.argv.slice(2),
]);

const results = await Promise.all(checks);
const testCode = await tests;
for (const { script, code, seconds } of results) {
  process.stdout.write(`npm run ${script}: ${code === 0 ? 'passed' : 'FAILED'} (${seconds} s)\n`);
}
process.stdout.write(`vitest run: ${testCode === 0 ? 'passed' : 'FAILED'}\n`);
process.exitCode = results.some((result) => result.code !== 0) || testCode !== 0 ? 1 : 0;
