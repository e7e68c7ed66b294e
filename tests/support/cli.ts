import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The CLI as the tests start it: its esbuild bundle (dist/cli/main.mjs), which
 * tests/support/global-setup.ts brings up to date once per run, under plain `node`. A tsx start
 * transpiles the sources anew in every process; the bundle starts in a fraction of that.
 */
export const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'main.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliEntry {
  /** The way `npm run -s newsroom -- …` runs it: scripts/newsroom.mjs and its bundle. */
  launcher?: boolean;
  /** From the TypeScript sources under tsx, for a test that compares them with the bundle. */
  sources?: boolean;
}

/**
 * Runs the CLI in a fresh process: the bundle (`CLI_BUNDLE`) unless `entry` asks for the launcher
 * or the TypeScript sources.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  { launcher = false, sources = false }: CliEntry = {},
): Promise<CliRun> {
  const entry = launcher
    ? [join(ROOT, 'scripts/newsroom.mjs')]
    : sources
      ? ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')]
      : [CLI_BUNDLE];
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
