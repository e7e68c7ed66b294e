import { UsageError } from './args.js';
import {
  BUILD_USAGE,
  DIGEST_USAGE,
  PREVIEW_USAGE,
  SEND_DIGEST_USAGE,
  VALIDATE_USAGE,
} from './usage.js';

const USAGE = [
  'Usage:',
  `  ${BUILD_USAGE}`,
  `  ${VALIDATE_USAGE}`,
  `  ${PREVIEW_USAGE}`,
  `  ${DIGEST_USAGE}`,
  `  ${SEND_DIGEST_USAGE}`,
].join('\n');

/** Errors that mean a path on the command line cannot be read or written as asked. */
const FILE_SYSTEM_ERRORS = new Set([
  'ENOENT',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'EISDIR',
  'EEXIST',
  'ENOSPC',
  'EROFS',
]);

const io = {
  stdout: (line: string) => process.stdout.write(`${line}\n`),
  stderr: (line: string) => process.stderr.write(`${line}\n`),
};

/** Runs one CLI command and resolves to its exit code: 0 ok, 1 some input rejected, 2 usage. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command loads only what it needs: `build` and `validate` never load mjml or the AWS SDK.
    switch (command) {
      case 'build': {
        const { runBuild } = await import('./build.js');
        const outcome = await runBuild(rest, io);
        return outcome.rejected > 0 ? 1 : 0;
      }
      case 'validate': {
        const { runValidate } = await import('./validate.js');
        return (await runValidate(rest, io)) > 0 ? 1 : 0;
      }
      case 'preview': {
        const { runPreview } = await import('./preview.js');
        return (await runPreview(rest, io)) ? 0 : 1;
      }
      case 'digest': {
        const { runDigestPreview } = await import('./digest.js');
        await runDigestPreview(rest, io);
        return 0;
      }
      case 'send-digest': {
        const { runSendDigest } = await import('./send-digest.js');
        return (await runSendDigest(rest, io)) ? 0 : 1;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`newsroom: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (FILE_SYSTEM_ERRORS.has((error as NodeJS.ErrnoException).code ?? '')) {
      // A folder given on the command line that cannot be read or written: one clear line.
      io.stderr(`newsroom: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
