import { SQSClient } from '@aws-sdk/client-sqs';
import { enqueueRequest } from '../src/adapters/sqs-pipeline-queue.js';
import { EnvReader } from '../src/config/env-reader.js';

// Cold start: the queue's URL (a ConfigError names it when missing) and the SQS client.
const reader = new EnvReader(process.env);
const queueUrl = reader.url('PIPELINE_QUEUE_URL', true);
reader.done();
const sqs = new SQSClient({});

/**
 * Schedule (every 5 minutes): asks the publisher, through its queue, to publish embargoed
 * releases whose time has come. It writes nothing itself: the publisher is the site's one writer.
 */
export async function handler(): Promise<{ enqueued: 'publish-due' }> {
  await enqueueRequest(sqs, queueUrl, { type: 'publish-due' }, new Date());
  return { enqueued: 'publish-due' };
}
