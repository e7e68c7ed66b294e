import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, EnvReader } from '../config/env-reader.js';
import { readSiteConfig } from '../config/site.js';
import type { SiteConfig } from '../site/config.js';
import { applySiteJson, SITE_JSON_NAME, SiteSettingsError } from '../site/site-config.js';
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

/**
 * `site` with the branding file applied: `--site-config FILE` when given, else `site.json` in the
 * releases folder when there is one (as the pipeline reads it from the bucket's root).
 * @throws {UsageError} when the file given cannot be read, or any file found is unusable.
 */
export async function withSiteConfigFile(
  site: SiteConfig,
  file: string | undefined,
  releasesDir: string,
): Promise<SiteConfig> {
  const path = file ?? join(releasesDir, SITE_JSON_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (file === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return site;
    throw new UsageError(`--site-config: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return applySiteJson(site, text, path);
  } catch (error) {
    if (error instanceof SiteSettingsError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
