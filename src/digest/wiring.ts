import { createS3Client, S3ObjectStore } from '../adapters/s3-object-store.js';
import type { DigestConfig, StaffMailSettings } from '../config/digest.js';
import { derivePreviewKey } from '../drafts/token.js';
import { createSesClient, createSesMailer } from '../mail/ses-mailer.js';
import type { Mailer, ObjectStore } from '../shared/ports.js';
import { withSiteJson } from '../site/site-config.js';
import { SHARD_COUNT } from '../subscribers/ids.js';
import { deriveSubscriberKeys } from '../subscribers/keys.js';
import { SubscriberStore } from '../subscribers/store.js';
import { subscriberLinks } from '../subscribers/subscriptions.js';
import { PipelineReleaseSource } from './pipeline-releases.js';
import { subscriberRoster } from './roster.js';
import type { MailRunOptions } from './run.js';
import { sesSendQuota } from './ses-quota.js';
import { loadTemplateSource, VariantCache } from './templates.js';
import type { RosterSource } from './types.js';

/** Adapters built once per process (a Lambda container, a CLI run, the local stack). */
export interface MailRunWiring {
  /** Everything `runDigest` / `runImmediate` need except the run's own settings. */
  options: MailRunOptions;
  releases: PipelineReleaseSource;
  store: ObjectStore;
  /** STAFF_LANG and STAFF_NOTIFY: how staff are mailed about their uploads. */
  staff: StaffMailSettings;
  /** Signs the links to draft previews (derived from TOKEN_SECRET). */
  previewKey: Uint8Array;
}

/** Overrides for the local stack: its credentials and, in tests, ready-made adapters. */
export interface WiringOverrides {
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  store?: ObjectStore;
  mailer?: Mailer;
  roster?: RosterSource;
  clock?: () => Date;
}

/**
 * Builds the digest's adapters from configuration: the private bucket, SES (with `GetSendQuota`
 * when talking to AWS, whose answer caps the rate and gives the daily budget), the subscriber
 * roster with signed links, the pipeline's releases and the template cache (precompiled MJML,
 * site values filled once per variant).
 */
export async function wireMailRuns(
  config: DigestConfig,
  overrides: WiringOverrides = {},
): Promise<MailRunWiring> {
  const store =
    overrides.store ??
    new S3ObjectStore(
      createS3Client({
        endpoint: config.s3Endpoint,
        region: config.region,
        credentials: overrides.s3Credentials,
      }),
      config.releasesBucket,
    );
  // The same branding as the site build: `releases/site.json` laid over the environment's.
  const site = await withSiteJson(config.site, store);
  const keys = deriveSubscriberKeys(config.tokenSecret);
  const roster =
    overrides.roster ??
    subscriberRoster(new SubscriberStore(store), SHARD_COUNT, (id) =>
      subscriberLinks(keys, site.siteUrl, id),
    );
  const mailer =
    overrides.mailer ??
    createSesMailer({
      endpoint: config.sesEndpoint,
      region: config.region,
      configurationSet: config.sesConfigurationSet,
    });
  // A local SES endpoint never answers GetSendQuota: ask only AWS, or when no rate is configured.
  const askQuota = config.sesEndpoint === undefined || config.sendRate === undefined;
  const quota = askQuota
    ? sesSendQuota(createSesClient({ region: config.region, endpoint: config.sesEndpoint }))
    : undefined;
  const variants = new VariantCache(loadTemplateSource(), site);
  return {
    store,
    releases: new PipelineReleaseSource(store, site.notifyMaxAgeMs),
    staff: config.staff,
    previewKey: derivePreviewKey(config.tokenSecret),
    options: {
      store,
      mailer,
      roster,
      variants,
      site,
      mailFrom: config.mailFrom,
      clock: overrides.clock ?? (() => new Date()),
      sendRate: config.sendRate,
      quota,
    },
  };
}
