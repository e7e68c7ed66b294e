import { SQSClient } from '@aws-sdk/client-sqs';
import { type DigestConfig, readDigestConfig } from '../config/digest.js';
import { type MailRunWiring, wireMailRuns } from './wiring.js';

/** What a mail-sending Lambda function builds once per container. */
export interface MailFunctionWiring {
  config: DigestConfig;
  wiring: MailRunWiring;
  sqs: SQSClient;
}

/**
 * Cold start of send-digest and send-immediate: configuration from `env`, the mail adapters and
 * template cache (the templates are bundled, precompiled), and the SQS client for continuations.
 */
export async function wireMailFunction(env: NodeJS.ProcessEnv): Promise<MailFunctionWiring> {
  const config = readDigestConfig(env);
  const wiring = await wireMailRuns(config);
  return { config, wiring, sqs: new SQSClient({ region: config.region }) };
}
