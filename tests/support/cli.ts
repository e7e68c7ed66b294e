import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in a fresh process from its TypeScript sources (under tsx), or with `launcher` the
 * way `npm run -s newsroom -- …` does: scripts/newsroom.mjs and its bundle in dist/cli/.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  { launcher = false } = {},
): Promise<CliRun> {
  const entry = launcher
    ? [join(ROOT, 'scripts/newsroom.mjs')]
    : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...entry, ...args],
      { cwd: ROOT, env: { ...process.env, SITE_TITLE: 'Esimerkkilä', ...env } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
