import { readDigestConfig } from '../config/digest.js';
import { ConfigError } from '../config/env-reader.js';
import { runDigest } from '../digest/run.js';
import { wireMailRuns } from '../digest/wiring.js';
import { parseCommandArgs, parseInstantFlag, requireFlag, UsageError } from './args.js';
import { parseFrequency } from './digest.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment of a run against the local stack: its endpoints (S3_PORT 4569, SES_PORT 8005 on
 * loopback) and, for anything not set, the values `npm start` sets (src/local/stack.ts), so the
 * links in the mail work with the local subscription API.
 */
function localDigestEnv(env: Env): Env {
  return {
    RELEASES_BUCKET: 'newsroom-releases',
    PUBLIC_BUCKET: 'newsroom-public',
    SITE_URL: `http://localhost:${env.WEB_PORT ?? '8080'}`,
    SITE_TITLE: 'Esimerkkilä',
    MAIL_FROM: 'Esimerkkilä <uutiset@example.com>',
    TOKEN_SECRET: 'local-development-token-secret-not-for-production',
    SES_SEND_RATE: '50',
    ...env,
    S3_ENDPOINT: `http://127.0.0.1:${env.S3_PORT ?? '4569'}`,
    SES_ENDPOINT: `http://127.0.0.1:${env.SES_PORT ?? '8005'}`,
  };
}

/**
 * `newsroom send-digest`: runs the scheduled digest now, with the same code as the function, against
 * AWS (configuration from the environment) or with `--local` against the running local stack.
 * `--now` picks the slot (a past one resends nothing already sent: the run id is the same).
 *
 * @returns whether the run finished (done, already done, or nothing new).
 */
export async function runSendDigest(
  argv: string[],
  io: { stdout: (line: string) => void },
  env: Env = process.env,
): Promise<boolean> {
  const { values } = parseCommandArgs(argv, {
    frequency: { type: 'string' },
    now: { type: 'string' },
    local: { type: 'boolean' },
  });
  const frequency = parseFrequency(requireFlag(values.frequency, 'frequency'));
  const at = values.now === undefined ? undefined : parseInstantFlag(values.now, 'now');
  let config: ReturnType<typeof readDigestConfig>;
  try {
    config = readDigestConfig(values.local ? localDigestEnv(env) : env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  // Loaded only for --local: s3rver is a development dependency.
  const s3Credentials = values.local
    ? { ...(await import('../local/s3-server.js')).S3RVER_CREDENTIALS }
    : undefined;
  const wiring = await wireMailRuns(config, { s3Credentials });
  const result = await runDigest({
    ...wiring.options,
    frequency,
    at,
    releases: wiring.releases,
    schedule: config.schedule,
  });
  const window = `(${result.window.since.toISOString()}, ${result.window.until.toISOString()}]`;
  if (result.status === 'nothing-new') {
    io.stdout(`${result.runId}: no release became public in ${window}; no mail sent`);
    return true;
  }
  io.stdout(
    `${result.runId}: ${result.status}${result.reason ? ` (${result.reason})` : ''}: ` +
      `${result.releases} release(s) in ${window}, sent ${result.sent}, refused ${result.rejected}, ` +
      `nothing new for ${result.nothingNew}, already sent ${result.alreadySent} ` +
      `(rate ${result.limits.rate}/s from ${result.limits.source})`,
  );
  return result.status === 'done' || result.status === 'already-done';
}
