import { isIdAuthority } from '../release/identity.js';
import { httpUrl } from '../shared/env.js';
import { DEFAULT_SITE, type SiteConfig } from '../site/config.js';
import { UsageError } from './args.js';

/**
 * The site settings the CLI does not take as flags come from the same environment variables the
 * Lambda functions read, with the same defaults, so a CLI build matches the deployed site.
 */
export function siteConfigFromEnv(
  siteUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): SiteConfig {
  const feedLimit = env.FEED_LIMIT === undefined ? DEFAULT_SITE.feedLimit : Number(env.FEED_LIMIT);
  if (!Number.isInteger(feedLimit) || feedLimit < 1 || feedLimit > 1000) {
    throw new UsageError(`FEED_LIMIT must be an integer from 1 to 1000, got "${env.FEED_LIMIT}"`);
  }
  const timeZone = env.TIME_ZONE ?? DEFAULT_SITE.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UsageError(
      `TIME_ZONE must be an IANA time zone such as Europe/Helsinki, got "${timeZone}"`,
    );
  }
  const idAuthority = env.ID_AUTHORITY?.trim() || undefined;
  if (idAuthority !== undefined && !isIdAuthority(idAuthority)) {
    throw new UsageError(
      `ID_AUTHORITY must be a host name such as tiedotteet.example.fi, got "${env.ID_AUTHORITY}"`,
    );
  }
  const websubHub = env.WEBSUB_HUB?.trim()
    ? httpUrl(env.WEBSUB_HUB.trim(), { base: false })
    : undefined;
  if (env.WEBSUB_HUB?.trim() && websubHub === undefined) {
    throw new UsageError(`WEBSUB_HUB must be an http(s) URL, got "${env.WEBSUB_HUB}"`);
  }
  return {
    siteUrl,
    title: env.SITE_TITLE ?? DEFAULT_SITE.title,
    defaultLang: env.DEFAULT_LANG ?? DEFAULT_SITE.defaultLang,
    timeZone,
    feedLimit,
    ...(idAuthority === undefined ? {} : { idAuthority }),
    ...(websubHub === undefined ? {} : { websubHub }),
  };
}
