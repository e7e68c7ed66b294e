import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DigestRunResult } from '../digest/run.js';
import { digestWindow } from '../digest/schedule.js';
import type { DigestFrequency } from '../digest/types.js';
import { formatProblem } from '../release/types.js';
import type { LocalStack } from './stack.js';

/**
 * `npm start`: the embedded local stack. `npm start -- --once` does one full pass, prints a
 * summary, and exits (0 unless publishing itself failed; rejected releases are reports).
 * `--data DIR` keeps the buckets (releases, site, subscribers) in DIR between runs; without it
 * they live in a temporary folder that Ctrl+C removes. `--releases DIR` publishes another folder.
 */
const LEGACY_FLAG = '--openssl-legacy-provider';
const USAGE = 'Usage: npm start -- [--once] [--data DIR] [--releases DIR]';

async function main(): Promise<void> {
  const options = readOptions();
  const once = options.once;
  const log = (line: string) => console.log(`  ${line}`);
  const data = dataFolder(options.data);
  const shutdown = new Shutdown(data, log);
  shutdown.listen();
  // Here, not at the top: the parent that re-executes itself (below) never needs the stack, and
  // loading it there cost as much CPU as in the child (~1 s per `npm start`).
  const { EXAMPLES_DIR, startLocalStack } = await import('./stack.js');
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      once,
      log,
      dataDir: data.path,
      ...(options.releases === undefined ? {} : { releasesDir: options.releases }),
    });
  } catch (error) {
    console.error(`Could not start the local stack: ${(error as Error).message}`);
    console.error(
      'Is another `npm start` running? Set S3_PORT, SES_PORT or WEB_PORT to free ports.',
    );
    shutdown.exit(1);
    return;
  }
  shutdown.stack = stack;
  if (!once) printUrls(stack, data);
  await printSummary(stack);
  if (once) {
    // The contract: one pass ends with one digest run to the confirmed subscribers.
    const digest = await stack.runDigest('daily', { everything: true });
    console.log(describeDigest(digest));
    const { failures } = await stack.summary();
    if (!data.temporary) console.log(`Buckets and subscribers are kept in ${data.path}.`);
    await shutdown.stop(failures > 0 ? 1 : 0);
    return;
  }
  const releasesDir = options.releases ?? EXAMPLES_DIR;
  console.log(
    `\nWatching ${relative(process.cwd(), releasesDir) || releasesDir}: add, edit or delete a .md file. Ctrl+C stops.`,
  );
  shutdown.timers.push(...schedule(stack, log));
}

function readOptions(): { once: boolean; data?: string; releases?: string } {
  let values: { once?: boolean; data?: string; releases?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        once: { type: 'boolean', default: false },
        data: { type: 'string' },
        releases: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    once: values.once === true,
    ...(values.data === undefined ? {} : { data: values.data }),
    ...(values.releases === undefined ? {} : { releases: resolve(values.releases) }),
  };
}

/** Where the buckets live: `--data DIR` (kept), or a temporary folder removed on exit. */
interface DataFolder {
  path: string;
  temporary: boolean;
}

function dataFolder(chosen: string | undefined): DataFolder {
  if (chosen === undefined) {
    return { path: mkdtempSync(join(tmpdir(), 'newsroom-local-')), temporary: true };
  }
  const path = resolve(chosen);
  mkdirSync(path, { recursive: true });
  return { path, temporary: false };
}

/** A repeated signal within this long is the same Ctrl+C (it reaches the whole process group). */
const SAME_SIGNAL_MS = 500;
/** How long a graceful stop may take before the data is removed and the process exits anyway. */
const STOP_DEADLINE_MS = 5_000;

/**
 * Stopping, however it is asked for: Ctrl+C or SIGTERM (at any moment, also during start-up), a
 * second Ctrl+C (stop now), or the end of `--once`. Every way out removes a temporary data folder.
 */
class Shutdown {
  stack: LocalStack | undefined;
  readonly timers: NodeJS.Timeout[] = [];
  #firstSignalAt: number | undefined;

  constructor(
    private readonly data: DataFolder,
    private readonly log: (line: string) => void,
  ) {}

  listen(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => this.#onSignal());
    }
  }

  #onSignal(): void {
    const now = Date.now();
    if (this.#firstSignalAt === undefined) {
      this.#firstSignalAt = now;
      this.log('Stopping… (Ctrl+C again to stop at once)');
      void this.stop(0);
    } else if (now - this.#firstSignalAt > SAME_SIGNAL_MS) {
      this.log('Stopping at once.');
      this.exit(130);
    }
  }

  /** Stops the servers (within a deadline), removes temporary data, exits with `code`. */
  async stop(code: number): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const deadline = new Promise((done) => setTimeout(done, STOP_DEADLINE_MS).unref());
    await Promise.race([this.stack?.stop().catch(() => {}), deadline]);
    this.exit(code);
  }

  /** Removes temporary data (synchronously: nothing may come after) and exits. */
  exit(code: number): never {
    if (this.data.temporary) {
      rmSync(this.data.path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
    process.exit(code);
  }
}

function printUrls(stack: LocalStack, data: DataFolder): void {
  const { urls } = stack;
  console.log(`
newsroom local stack
  Front page   ${urls.site}
  Feeds        ${urls.feeds.atom}
               ${urls.feeds.rss}
               ${urls.feeds.json}
  API          ${urls.api}
  Mail viewer  ${urls.mailViewer}
  S3           ${urls.s3}  (buckets ${stack.buckets.releases}, ${stack.buckets.public}; key S3RVER / S3RVER)
  Data         ${data.path}${data.temporary ? ' (temporary: removed when you stop)' : ' (kept)'}
`);
}

async function printSummary(stack: LocalStack): Promise<void> {
  const summary = await stack.summary();
  console.log(
    `Published ${summary.published} of ${summary.sources} release file(s); ${summary.publicFiles} public files.`,
  );
  for (const report of summary.rejected) {
    const path = report.file.replace(/^releases\//, '');
    console.log(
      `  rejected: ${formatProblem({ path, line: report.line, message: report.problem })}`,
    );
  }
}

/**
 * Embargoed releases go public on the same 5-minute schedule as in AWS, and digests go out at
 * their scheduled slots: each run id is sent once, so checking every minute is enough.
 */
function schedule(stack: LocalStack, log: (line: string) => void): NodeJS.Timeout[] {
  const due = setInterval(() => {
    stack.publishDue().catch((error: unknown) => log(`publish-due: ${String(error)}`));
  }, 5 * 60_000);
  const lastRun = new Map<DigestFrequency, string>();
  const digests = setInterval(() => {
    for (const frequency of ['daily', 'weekly'] as const) {
      const { runId } = digestWindow(frequency, new Date());
      if (lastRun.get(frequency) === runId) continue;
      lastRun.set(frequency, runId);
      stack
        .runDigest(frequency)
        .then((result) => log(describeDigest(result)))
        .catch((error: unknown) => log(`digest: ${String(error)}`));
    }
  }, 60_000);
  return [due, digests];
}

function describeDigest(result: DigestRunResult): string {
  if (result.status === 'nothing-new') return `Digest ${result.runId}: nothing new to send.`;
  return `Digest ${result.runId}: ${result.status}; ${result.releases} release(s), sent ${result.sent} message(s), ${result.nothingNew} subscriber(s) with nothing new.`;
}

// Last, so that every declaration above is initialised when main() runs.
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 refuses
// without the legacy provider: without it every listing longer than one page answers 500.
// The flag cannot be turned on at run time, so the process starts itself again with it.
if (!process.execArgv.includes(LEGACY_FLAG) && !process.env.NODE_OPTIONS?.includes(LEGACY_FLAG)) {
  const child = spawn(
    process.execPath,
    [LEGACY_FLAG, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  // Ctrl+C reaches the child too (same process group); `kill <this pid>` reaches only this one.
  // The child takes a repeat within a moment as the same request.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}
