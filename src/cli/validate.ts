import { basename } from 'node:path';
import { parseRelease } from '../release/parse.js';
import { parseCommandArgs, UsageError } from './args.js';
import { readBytes } from './files.js';
import { siteConfigFromEnv } from './site-options.js';

/**
 * `newsroom validate`: checks release files before upload, printing `PATH: ok` or
 * `PATH:LINE: reason` for each. Resolves to the number of invalid files.
 */
export async function runValidate(
  argv: string[],
  io: { stdout: (line: string) => void },
): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {}, true);
  if (positionals.length === 0) throw new UsageError('give at least one FILE to validate');
  // Validation does not depend on where the site is served; any well-formed URL will do.
  const site = siteConfigFromEnv(process.env.SITE_URL ?? 'https://example.invalid');
  let invalid = 0;
  for (const path of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(path);
    } catch (error) {
      invalid += 1;
      io.stdout(
        `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      continue;
    }
    const result = parseRelease(basename(path), bytes, site);
    if (result.ok) {
      io.stdout(`${path}: ok`);
    } else {
      invalid += 1;
      const where = result.problem.line === undefined ? path : `${path}:${result.problem.line}`;
      io.stdout(`${where}: ${result.problem.message}`);
    }
  }
  return invalid;
}
