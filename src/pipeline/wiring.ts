import { SQSClient } from '@aws-sdk/client-sqs';
import { createS3Client, S3ObjectStore } from '../adapters/s3-object-store.js';
import { SqsNotifier } from '../adapters/sqs-notifier.js';
import { websubHub } from '../adapters/websub-hub.js';
import type { PipelineConfig } from '../config/pipeline.js';
import { jsonLogger, type PipelineDeps } from './deps.js';
import { DISCARD_NOTICES } from './notifier.js';

/**
 * The pipeline as the Lambda functions run it: S3 buckets (path-style when `S3_ENDPOINT` is set),
 * notices onto the SQS queue when one is configured, the system clock.
 */
export function pipelineFromConfig(config: PipelineConfig): PipelineDeps {
  const s3 = createS3Client({ region: config.storage.region, endpoint: config.storage.s3Endpoint });
  const queueUrl = config.notificationQueueUrl;
  if (queueUrl === undefined) {
    jsonLogger('IMMEDIATE_QUEUE_URL is not set: publication and rejection notices are dropped');
  }
  return {
    bucket: new S3ObjectStore(s3, config.storage.releasesBucket),
    publicSite: new S3ObjectStore(s3, config.storage.publicBucket),
    site: config.site,
    clock: () => new Date(),
    notifier:
      queueUrl === undefined
        ? DISCARD_NOTICES
        : new SqsNotifier(new SQSClient({ region: config.storage.region }), queueUrl),
    staffEmail: config.staffEmail,
    log: jsonLogger,
    ...(config.site.websubHub === undefined ? {} : { hub: websubHub(config.site.websubHub) }),
  };
}
