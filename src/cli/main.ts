import { UsageError } from './args.js';
import { BUILD_USAGE, runBuild } from './build.js';
import { DIGEST_USAGE, runDigestPreview } from './digest.js';
import { runSendDigest, SEND_DIGEST_USAGE } from './send-digest.js';
import { runValidate, VALIDATE_USAGE } from './validate.js';

const USAGE = [
  'Usage:',
  `  ${BUILD_USAGE}`,
  `  ${VALIDATE_USAGE}`,
  `  ${DIGEST_USAGE}`,
  `  ${SEND_DIGEST_USAGE}`,
].join('\n');

const io = {
  stdout: (line: string) => process.stdout.write(`${line}\n`),
  stderr: (line: string) => process.stderr.write(`${line}\n`),
};

/** Runs one CLI command and resolves to its exit code: 0 ok, 1 some input rejected, 2 usage. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'build': {
        const outcome = await runBuild(rest, io);
        return outcome.rejected > 0 ? 1 : 0;
      }
      case 'validate':
        return (await runValidate(rest, io)) > 0 ? 1 : 0;
      case 'digest':
        await runDigestPreview(rest, io);
        return 0;
      case 'send-digest':
        return (await runSendDigest(rest, io)) ? 0 : 1;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`newsroom: ${error.message}\n${USAGE}`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr(`newsroom: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
