import packageJson from '../../package.json' with { type: 'json' };
import { closestName } from '../shared/edit-distance.js';
import { UsageError } from './args.js';
import { COMMANDS, commandHelp, mainHelp, usageText } from './usage.js';

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
    const early = helpOrVersion(command, rest);
    if (early !== undefined) {
      io.stdout(early);
      return 0;
    }
    return await run(command, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`newsroom: ${error.message}\n${usageOf(command)}`);
      return 2;
    }
    const { plainCause, PathError } = await import('./files.js');
    if (error instanceof PathError) {
      io.stderr(`newsroom: ${error.message}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (FILE_SYSTEM_ERRORS.has(code)) {
      // A path given on the command line that cannot be read or written: one clear line.
      const path = (error as NodeJS.ErrnoException).path;
      const cause = plainCause(error as NodeJS.ErrnoException);
      io.stderr(`newsroom: ${path === undefined ? cause : `"${path}": ${cause}`} (${code})`);
      return 2;
    }
    throw error;
  }
}

/** The usage of `command` if it is one, else of every command. */
function usageOf(command: string | undefined): string {
  const known = command === undefined ? undefined : COMMANDS[command];
  return known !== undefined && Object.hasOwn(COMMANDS, command ?? '')
    ? `Usage: ${known.usage}\nnewsroom ${command} --help explains each option.`
    : `${usageText()}\nnewsroom --help explains each command.`;
}

/** The text `--help`, `-h`, `help [COMMAND]` or `--version` asks for, if that is what was asked. */
function helpOrVersion(command: string | undefined, rest: readonly string[]): string | undefined {
  if (command === '--version' || command === 'version') return packageJson.version;
  if (command === '--help' || command === '-h') return mainHelp();
  if (command === 'help')
    return rest[0] === undefined ? mainHelp() : commandHelp(knownCommand(rest[0]));
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) return undefined;
  const flags = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : rest.length);
  if (flags.includes('--help') || flags.includes('-h')) return commandHelp(command);
  if (flags.includes('--version')) return packageJson.version;
  return undefined;
}

function knownCommand(name: string | undefined): string {
  if (name === undefined) throw new UsageError('no command given');
  if (Object.hasOwn(COMMANDS, name)) return name;
  const meant = closestName(name, Object.keys(COMMANDS));
  throw new UsageError(
    `unknown command "${name}"${meant === undefined ? '' : `; did you mean "${meant}"?`}`,
  );
}

async function run(command: string | undefined, rest: string[]): Promise<number> {
  // Each command loads only what it needs: `build` and `validate` never load mjml or the AWS SDK.
  switch (knownCommand(command)) {
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
    default: {
      const { runSendDigest } = await import('./send-digest.js');
      return (await runSendDigest(rest, io)) ? 0 : 1;
    }
  }
}

process.exitCode = await main(process.argv.slice(2));
