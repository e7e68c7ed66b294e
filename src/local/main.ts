import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { DigestRunResult } from '../digest/run.js';
import { digestWindow } from '../digest/schedule.js';
import type { DigestFrequency } from '../digest/types.js';
import { formatProblem } from '../release/types.js';
import { EXAMPLES_DIR, type LocalStack, startLocalStack } from './stack.js';

/**
 * `npm start`: the embedded local stack. `npm start -- --once` does one full pass, prints the URLs
 * and a summary, and exits (0 unless publishing itself failed; rejected releases are reports).
 */
const LEGACY_FLAG = '--openssl-legacy-provider';

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 refuses
// without the legacy provider: without it every listing longer than one page answers 500.
// The flag cannot be turned on at run time, so the process starts itself again with it.
if (!process.execArgv.includes(LEGACY_FLAG) && !process.env.NODE_OPTIONS?.includes(LEGACY_FLAG)) {
  const child = spawn(
    process.execPath,
    [LEGACY_FLAG, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
  const once = values.once === true;
  const log = (line: string) => console.log(`  ${line}`);
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ once, log });
  } catch (error) {
    console.error(`Could not start the local stack: ${(error as Error).message}`);
    console.error(
      'Is another `npm start` running? Set S3_PORT, SES_PORT or WEB_PORT to free ports.',
    );
    process.exit(1);
  }
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
`);
  const summary = await stack.summary();
  console.log(
    `Published ${summary.published} of ${summary.sources} release file(s); ${summary.publicFiles} public files.`,
  );
  for (const report of summary.rejected) {
    console.log(
      `  rejected: ${formatProblem({ path: report.file, line: report.line, message: report.problem })}`,
    );
  }
  if (once) {
    // The contract: one pass ends with one digest run to the confirmed subscribers.
    const digest = await stack.runDigest('daily', { everything: true });
    console.log(describeDigest(digest));
    await stack.stop();
    process.exit(summary.failures > 0 ? 1 : 0);
  }
  console.log(
    `\nWatching ${relative(process.cwd(), EXAMPLES_DIR) || EXAMPLES_DIR}: add, edit or delete a .md file. Ctrl+C stops.`,
  );
  // Embargoed releases go public on the same 5-minute schedule as in AWS, and digests go out at
  // their scheduled slots: each run id is sent once, so checking every minute is enough.
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
  const stop = async () => {
    clearInterval(due);
    clearInterval(digests);
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function describeDigest(result: DigestRunResult): string {
  if (result.status === 'nothing-new') return `Digest ${result.runId}: nothing new to send.`;
  return `Digest ${result.runId}: ${result.status}; ${result.releases} release(s), sent ${result.sent} message(s), ${result.nothingNew} subscriber(s) with nothing new.`;
}
