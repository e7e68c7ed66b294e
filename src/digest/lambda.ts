import { SQSClient } from '@aws-sdk/client-sqs';
import { type DigestConfig, readDigestConfig } from '../config/digest.js';
import { atFirstUse } from '../shared/first-use.js';
import { type MailRunWiring, wireMailRuns } from './wiring.js';

/** What a mail-sending Lambda function builds once per container. */
export interface MailFunctionWiring {
  config: DigestConfig;
  /** The mail adapters, built at the first invocation (they read `releases/site.json`). */
  wiring: () => Promise<MailRunWiring>;
  sqs: SQSClient;
}

/**
 * Cold start of send-digest and send-immediate: configuration from `env` and the SQS client for
 * continuations; the mail adapters and template cache (bundled, precompiled templates with the
 * branding of `releases/site.json`) follow at the first invocation and live as long as the container.
 */
export function wireMailFunction(env: NodeJS.ProcessEnv): MailFunctionWiring {
  const config = readDigestConfig(env);
  const wiring = atFirstUse(() => wireMailRuns(config));
  return { config, wiring, sqs: new SQSClient({ region: config.region }) };
}
