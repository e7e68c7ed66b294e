import type { SNSEvent } from 'aws-lambda';
import { createS3Client, S3ObjectStore } from '../src/adapters/s3-object-store.js';
import { readSesNotificationsConfig } from '../src/config/subscribers.js';
import { jsonLog } from '../src/observability/log.js';
import { withMetrics } from '../src/observability/metrics.js';
import { deriveSubscriberKeys } from '../src/subscribers/keys.js';
import { handleSesNotifications } from '../src/subscribers/ses-notifications.js';
import { fetchCertificate } from '../src/subscribers/sns.js';
import { SubscriberStore } from '../src/subscribers/store.js';
import { DEFAULT_BOUNCE_POLICY } from '../src/subscribers/suppression.js';

const config = readSesNotificationsConfig(process.env);
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
  trust: { topicArn: config.topicArn, fetchCertificate, clock: () => new Date() },
  mailFrom: config.mailFrom,
  configurationSet: config.sesConfigurationSet,
};

/**
 * SNS → SES bounce, complaint and delivery notifications, from our topic and signed by SNS only.
 * Errors are rethrown so that Lambda retries and then sends the event to the failure destination;
 * applying one twice is harmless.
 */
async function handle(event: SNSEvent): Promise<void> {
  await handleSesNotifications(deps, event);
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
