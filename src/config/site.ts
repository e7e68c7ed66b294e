import * as v from 'valibot';
import { isIdAuthority } from '../release/identity.js';
import { parseDuration } from '../release/newness.js';
import { DEFAULT_SITE, type SiteBranding, type SiteConfig } from '../site/config.js';
import {
  compact,
  DEFAULT_ORGANISATION_NAME,
  DEFAULT_PRIMARY_COLOR,
  expandColor,
  isHttpUrl,
  isSitePathOrHttps,
  nonEmpty,
} from '../site/site-config.js';
import type { EnvReader } from './env-reader.js';
import { endpointUrl, type VariableSchema } from './variables.js';

/** Reads the site settings: `SITE_URL` is required, the rest default as in {@link DEFAULT_SITE}. */
export function readSiteConfig(reader: EnvReader): SiteConfig {
  const title = reader.withDefault('SITE_TITLE', DEFAULT_SITE.title);
  const defaultLang = reader.withDefault('DEFAULT_LANG', DEFAULT_SITE.defaultLang);
  return {
    siteUrl: reader.url('SITE_URL', true),
    title,
    defaultLang,
    timeZone: reader.timeZone('TIME_ZONE', DEFAULT_SITE.timeZone),
    feedLimit: reader.integer('FEED_LIMIT', DEFAULT_SITE.feedLimit, 1, 1000),
    ...idAuthorityOf(reader),
    ...websubHubOf(reader),
    ...notifyMaxAgeOf(reader),
    branding: readBranding(reader, title, defaultLang),
  };
}

/** `NOTIFY_MAX_AGE`, when set (see {@link SiteConfig.notifyMaxAgeMs}). */
function notifyMaxAgeOf(reader: EnvReader): { notifyMaxAgeMs?: number } {
  const ms = reader.read('NOTIFY_MAX_AGE', duration, undefined);
  return ms === undefined ? {} : { notifyMaxAgeMs: ms };
}

/** `WEBSUB_HUB`, when set (see {@link SiteConfig.websubHub}). */
function websubHubOf(reader: EnvReader): { websubHub?: string } {
  const hub = reader.read('WEBSUB_HUB', endpointUrl, undefined);
  return hub === undefined ? {} : { websubHub: hub };
}

/** `ID_AUTHORITY`, when set (see {@link SiteConfig.idAuthority}). */
function idAuthorityOf(reader: EnvReader): { idAuthority?: string } {
  const authority = reader.read('ID_AUTHORITY', hostName, undefined);
  return authority === undefined ? {} : { idAuthority: authority };
}

const duration: VariableSchema<number> = v.pipe(
  v.string(),
  v.check((raw) => parseDuration(raw) !== undefined, 'must be a duration such as 48h, 2d or 90m'),
  v.transform((raw) => parseDuration(raw) ?? 0),
);

const hostName: VariableSchema<string> = v.pipe(
  v.string(),
  v.check(isIdAuthority, 'must be a host name such as tiedotteet.example.fi'),
);

const colour: VariableSchema<string> = v.pipe(
  v.string(),
  v.regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a colour such as #00426e'),
  v.transform(expandColor),
);

const logoPath: VariableSchema<string> = v.pipe(
  v.string(),
  v.check(isSitePathOrHttps, 'must be a path such as media/logo.svg or an https URL'),
);

const linkUrl: VariableSchema<string> = v.pipe(
  v.string(),
  v.check(isHttpUrl, 'must be an http(s) URL'),
);

/**
 * Reads the branding variables: `SITE_NAME_FI`, `SITE_NAME_SV`, `SITE_NAME_EN` (default: `title`
 * in the default language), `SITE_LOGO`, `SITE_COLOR`, `SITE_CONTACT`, `PRIVACY_URL`,
 * `ACCESSIBILITY_URL`. Problems are recorded on `reader`, like every other variable.
 */
export function readBranding(reader: EnvReader, title: string, defaultLang: string): SiteBranding {
  const name: Record<string, string> = {};
  for (const lang of ['fi', 'sv', 'en']) {
    const value = reader.optional(`SITE_NAME_${lang.toUpperCase()}`);
    if (value !== undefined) name[lang] = value;
  }
  if (name[defaultLang] === undefined) {
    if (title === DEFAULT_ORGANISATION_NAME.fi)
      Object.assign(name, DEFAULT_ORGANISATION_NAME, name);
    else name[defaultLang] = title;
  }
  const single = (variable: string, schema: VariableSchema<string>) => {
    const value = reader.read(variable, schema, undefined);
    return value === undefined ? {} : { [defaultLang]: value };
  };
  const text: VariableSchema<string> = v.string();
  return compact({
    name,
    primaryColor: reader.read('SITE_COLOR', colour, DEFAULT_PRIMARY_COLOR),
    logo: reader.read('SITE_LOGO', logoPath, undefined),
    contact: nonEmpty(single('SITE_CONTACT', text)),
    privacyUrl: nonEmpty(single('PRIVACY_URL', linkUrl)),
    accessibilityUrl: nonEmpty(single('ACCESSIBILITY_URL', linkUrl)),
  });
}
