import type { SNSEvent } from 'aws-lambda';
import { createS3Client, S3ObjectStore } from '../src/adapters/s3-object-store.js';
import { readSubscriberStorageConfig } from '../src/subscribers/config.js';
import { deriveSubscriberKeys } from '../src/subscribers/keys.js';
import { jsonLog } from '../src/subscribers/log.js';
import { applySesFeedback, parseSesNotification } from '../src/subscribers/ses-feedback.js';
import { SubscriberStore } from '../src/subscribers/store.js';
import { DEFAULT_BOUNCE_POLICY } from '../src/subscribers/suppression.js';

const config = readSubscriberStorageConfig(process.env);
const deps = {
  subscribers: new SubscriberStore(
    new S3ObjectStore(
      createS3Client({ endpoint: config.s3Endpoint, region: config.region }),
      config.releasesBucket,
    ),
  ),
  keys: deriveSubscriberKeys(config.tokenSecret),
  policy: DEFAULT_BOUNCE_POLICY,
  log: jsonLog,
};

/**
 * SNS → SES bounce, complaint and delivery notifications. Errors are rethrown so that Lambda
 * retries and then sends the event to the failure destination; applying one twice is harmless.
 */
export async function handler(event: SNSEvent): Promise<void> {
  for (const record of event.Records ?? []) {
    const receivedAt = new Date(record.Sns.Timestamp || Date.now());
    const feedback = parseSesNotification(record.Sns.Message, receivedAt);
    await applySesFeedback(deps, feedback);
  }
}
