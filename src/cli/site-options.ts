import { ConfigError, EnvReader, readSiteConfig } from '../shared/env.js';
import type { SiteConfig } from '../site/config.js';
import { UsageError } from './args.js';

/**
 * The site settings the CLI does not take as flags come from the same environment variables the
 * Lambda functions read, through the same reader, defaults and checks, so a CLI build matches the
 * deployed site byte for byte.
 */
export function siteConfigFromEnv(
  siteUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): SiteConfig {
  const reader = new EnvReader({ ...env, SITE_URL: siteUrl });
  const site = readSiteConfig(reader);
  try {
    reader.done();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  return site;
}
