import { SQSClient } from '@aws-sdk/client-sqs';
import { enqueueRequest } from '../src/adapters/sqs-pipeline-queue.js';
import { EnvReader } from '../src/config/env-reader.js';

// Cold start: the queue's URL (a ConfigError names it when missing) and the SQS client.
const reader = new EnvReader(process.env);
const queueUrl = reader.url('PIPELINE_QUEUE_URL', true);
reader.done();
const sqs = new SQSClient({});

/**
 * Schedule (nightly): asks the publisher, through its queue, to compare the publishing state with
 * the buckets and repair any drift, in order with the uploads' events.
 */
export async function handler(): Promise<{ enqueued: 'reconcile' }> {
  await enqueueRequest(sqs, queueUrl, { type: 'reconcile' }, new Date());
  return { enqueued: 'reconcile' };
}
