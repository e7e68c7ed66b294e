import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createS3Client, S3ObjectStore } from '../src/adapters/s3-object-store.js';
import { readSubscriptionsApiConfig } from '../src/config/subscribers.js';
import { derivePreviewKey } from '../src/drafts/token.js';
import { createConfirmationSender } from '../src/mail/confirmation-mail.js';
import { createSesMailer } from '../src/mail/ses-mailer.js';
import { MjmlTemplates } from '../src/mail/templates.js';
import { jsonLog } from '../src/observability/log.js';
import { withMetrics } from '../src/observability/metrics.js';
import { atFirstUse } from '../src/shared/first-use.js';
import { organisationNames } from '../src/site/site-config.js';
import { readCategoryCatalog } from '../src/subscribers/categories.js';
import { createSubscriptionsApi } from '../src/subscribers/http/api.js';
import { fromApiGatewayEvent, toApiGatewayResult } from '../src/subscribers/http/api-gateway.js';
import { deriveSubscriberKeys } from '../src/subscribers/keys.js';
import { ConfirmationLimiter } from '../src/subscribers/limits.js';
import { SubscriberStore } from '../src/subscribers/store.js';
import { LANGS } from '../src/subscribers/types.js';

// Cold start: configuration and clients; the API and its template cache follow at the first
// request. All live as long as the container.
const config = readSubscriptionsApiConfig(process.env);
const clock = () => new Date();
const bucket = new S3ObjectStore(
  createS3Client({ endpoint: config.s3Endpoint, region: config.region }),
  config.releasesBucket,
);
const keys = deriveSubscriberKeys(config.tokenSecret);

/**
 * The API with the organisation's name per language as the site shows it (`releases/site.json`
 * over the env): built at the first request, not at cold start, so init makes no S3 call.
 */
const api = atFirstUse(async () => {
  const siteNames = await organisationNames(
    {
      siteUrl: config.siteUrl,
      title: config.siteTitle,
      defaultLang: config.defaultLang,
      branding: config.branding,
    },
    bucket,
    LANGS,
  );
  const site = { title: siteNames[config.defaultLang] ?? config.siteTitle, url: config.siteUrl };
  // Precompiled at build time and bundled (templates/compiled/): no MJML, no file reads.
  const templates = new MjmlTemplates(site);
  return createSubscriptionsApi({
    subscribers: new SubscriberStore(bucket),
    keys,
    limiter: new ConfirmationLimiter(bucket, keys, config.confirmationLimits),
    allowedOrigins: config.allowedOrigins,
    subscribeAnswerMs: config.subscribeAnswerMs,
    clock,
    siteUrl: config.siteUrl,
    siteTitle: site.title,
    siteNames,
    defaultLang: config.defaultLang,
    log: jsonLog,
    categories: () => readCategoryCatalog(bucket),
    previews: {
      store: bucket,
      key: derivePreviewKey(config.tokenSecret),
      clock,
      siteUrl: config.siteUrl,
    },
    sendConfirmation: createConfirmationSender({
      templates,
      site,
      from: config.mailFrom,
      clock,
      mailer: createSesMailer({
        endpoint: config.sesEndpoint,
        region: config.region,
        configurationSet: config.sesConfigurationSet,
      }),
    }),
  });
});

/** HTTP API `/api/*`: subscribe, confirm, unsubscribe (also RFC 8058 one-click), preferences,
 * staff's draft previews. */
async function handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const answer = await api();
  return toApiGatewayResult(await answer(fromApiGatewayEvent(event)));
}

/** The Lambda entry point: each invocation's counters are published as it ends. */
export const handler = withMetrics(handle);
