import { basename, dirname } from 'node:path';
import { attachMedia } from '../release/attach-media.js';
import { parseRelease } from '../release/parse.js';
import { formatProblem, formatWarning } from '../release/types.js';
import { readBytes } from '../shared/release-files.js';
import { parseCommandArgs, UsageError } from './args.js';
import { diskMediaLookup } from './media-files.js';
import { siteConfigFromEnv } from './site-options.js';

/**
 * `newsroom validate`: checks release files before upload, printing `PATH: ok` or
 * `PATH:LINE: reason` for each, and `PATH:LINE: warning: reason` for what a valid file should still
 * fix (a file with only warnings is valid), the pictures and attachments it references included
 * (looked for beside the file, with the same line `build` prints for one missing or refused).
 * Resolves to the number of invalid files.
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
      const media = await attachMedia(result.release, diskMediaLookup(dirname(path)));
      const warnings = [...result.warnings, ...media.warnings];
      for (const warning of warnings) io.stdout(formatWarning({ ...warning, path }));
      const count = warnings.length;
      io.stdout(count === 0 ? `${path}: ok` : `${path}: ok (${count} ${plural(count, 'warning')})`);
    } else {
      invalid += 1;
      io.stdout(formatProblem({ ...result.problem, path }));
    }
  }
  return invalid;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
