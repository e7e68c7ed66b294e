import type { SiteConfig } from '../site/config.js';
import { type Env, EnvReader } from './env-reader.js';
import { readSiteConfig } from './site.js';
import { emailAddress } from './variables.js';

/** Where the buckets are. */
interface StorageConfig {
  releasesBucket: string;
  publicBucket: string;
  /** AWS region; the SDK's own default chain applies when unset. */
  region?: string;
  /** Non-AWS S3 endpoint (s3rver, MinIO); implies path-style addressing. */
  s3Endpoint?: string;
}

/** Everything the publishing functions read from the environment. */
export interface PipelineConfig {
  site: SiteConfig;
  storage: StorageConfig;
  /** Staff address for rejection reports; no mail is requested when unset. */
  staffEmail?: string;
  /** SQS queue that takes the pipeline's notices (first publications, staff reports). */
  notificationQueueUrl?: string;
}

/** Reads the bucket names and the optional S3 endpoint. */
function readStorageConfig(reader: EnvReader): StorageConfig {
  return {
    releasesBucket: reader.required('RELEASES_BUCKET'),
    publicBucket: reader.required('PUBLIC_BUCKET'),
    region: reader.optional('AWS_REGION'),
    s3Endpoint: reader.url('S3_ENDPOINT', false),
  };
}

/**
 * The publishing functions' configuration, read once at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function readPipelineConfig(env: Env): PipelineConfig {
  const reader = new EnvReader(env);
  const config: PipelineConfig = {
    site: readSiteConfig(reader),
    storage: readStorageConfig(reader),
    staffEmail: reader.read('STAFF_EMAIL', emailAddress, undefined),
    notificationQueueUrl: reader.optional('IMMEDIATE_QUEUE_URL'),
  };
  reader.done();
  return config;
}
