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
import { type EnvReader, httpUrl } from './env-reader.js';

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
  const raw = reader.optional('NOTIFY_MAX_AGE');
  if (raw === undefined) return {};
  const ms = parseDuration(raw);
  if (ms === undefined) {
    reader.reject(
      'NOTIFY_MAX_AGE',
      `NOTIFY_MAX_AGE must be a duration such as 48h, 2d or 90m, got "${raw}"`,
    );
    return {};
  }
  return { notifyMaxAgeMs: ms };
}

/** `WEBSUB_HUB`, when set (see {@link SiteConfig.websubHub}). */
function websubHubOf(reader: EnvReader): { websubHub?: string } {
  const raw = reader.optional('WEBSUB_HUB');
  if (raw === undefined) return {};
  const hub = httpUrl(raw, { base: false });
  if (hub === undefined)
    reader.reject('WEBSUB_HUB', `WEBSUB_HUB must be an http(s) URL, got "${raw}"`);
  return { websubHub: hub ?? raw };
}

/** `ID_AUTHORITY`, when set (see {@link SiteConfig.idAuthority}). */
function idAuthorityOf(reader: EnvReader): { idAuthority?: string } {
  const value = reader.optional('ID_AUTHORITY');
  if (value === undefined) return {};
  if (!isIdAuthority(value)) {
    reader.reject(
      'ID_AUTHORITY',
      `ID_AUTHORITY must be a host name such as tiedotteet.example.fi, got "${value}"`,
    );
  }
  return { idAuthority: value };
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

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
  const color = reader.withDefault('SITE_COLOR', DEFAULT_PRIMARY_COLOR);
  if (!COLOR.test(color)) {
    reader.reject('SITE_COLOR', `SITE_COLOR must be a colour such as #00426e, got "${color}"`);
  }
  const logo = reader.optional('SITE_LOGO');
  if (logo !== undefined && !isSitePathOrHttps(logo)) {
    reader.reject(
      'SITE_LOGO',
      `SITE_LOGO must be a path such as media/logo.svg or an https URL, got "${logo}"`,
    );
  }
  const single = (variable: string) => {
    const value = reader.optional(variable);
    return value === undefined ? {} : { [defaultLang]: value };
  };
  const urls = (variable: string) => {
    const value = reader.optional(variable);
    if (value !== undefined && !isHttpUrl(value)) {
      reader.reject(variable, `${variable} must be an http(s) URL, got "${value}"`);
    }
    return single(variable);
  };
  return compact({
    name,
    primaryColor: expandColor(color),
    logo,
    contact: nonEmpty(single('SITE_CONTACT')),
    privacyUrl: nonEmpty(urls('PRIVACY_URL')),
    accessibilityUrl: nonEmpty(urls('ACCESSIBILITY_URL')),
  });
}
