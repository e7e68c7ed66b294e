import type { CategoryDefinition } from './categories.js';

/**
 * A text per language (`{ "fi": "…", "sv": "…" }`), or one text for every language. Readers see the
 * text in their language, else in the site's default language, else the first one given.
 */
export type LocalizedText = Readonly<Record<string, string>>;

/** A site's own look and identity: what a city sets without touching code (docs/branding.md). */
export interface SiteBranding {
  /** The organisation's name per language, e.g. `{ fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad' }`. */
  name: LocalizedText;
  /**
   * The logo shown beside the name: a path on the public site (`media/logo.svg`) or an https
   * URL. Decorative (the name is written beside it), so it carries no alt text.
   */
  logo?: string;
  /** The header's colour, `#rrggbb`; link colours are derived from it when it contrasts enough. */
  primaryColor: string;
  /** A line in the footer: switchboard, address, press contact. */
  contact?: LocalizedText;
  /** The privacy notice (tietosuojaseloste), linked from the footer and the subscribe form. */
  privacyUrl?: LocalizedText;
  /** The accessibility statement (saavutettavuusseloste), linked from the footer. */
  accessibilityUrl?: LocalizedText;
}

/** What every build needs to know about the site it builds. */
export interface SiteConfig {
  /** Public base URL without a trailing slash, e.g. `https://tiedotteet.example.fi`. */
  siteUrl: string;
  /** Name shown in feeds, pages and mail, e.g. `Esimerkkikaupunki`. */
  title: string;
  /** Language of releases that do not state one. */
  defaultLang: string;
  /** IANA zone for times written without an offset, and for dates shown to people. */
  timeZone: string;
  /** Items per feed (newest first). */
  feedLimit: number;
  /**
   * The name release ids are minted under; default: the host of `siteUrl`. A site that moves to a
   * new address keeps its old host here, so feed readers do not show every release again.
   */
  idAuthority?: string;
  /**
   * A WebSub hub (e.g. `https://pubsubhubbub.appspot.com/`): feeds name it as `rel="hub"`, and the
   * pipeline tells it which feeds changed, so subscribed readers update at once instead of polling.
   */
  websubHub?: string;
  /**
   * `NOTIFY_MAX_AGE`: a release whose date is more than this before its first publication (an
   * archive import) is published but never mailed. Default 48 h (`DEFAULT_NOTIFY_MAX_AGE_MS`).
   */
  notifyMaxAgeMs?: number;
  /**
   * Name per language, logo, colour, contact line, privacy and accessibility links (env and
   * `site.json`, src/site/site-config.ts); when absent, `title` and the default theme.
   */
  branding?: SiteBranding;
  /**
   * The category catalogue (key, label per language, aliases): `DEFAULT_CATEGORIES` with
   * `site.json`'s `categories` laid over it (src/site/categories.ts). Absent: the default one.
   */
  categories?: readonly CategoryDefinition[];
}

/** A file of the public site, ready to write to disk or to the public bucket. */
export interface SiteFile {
  /** Path relative to the site root, e.g. `feeds/atom.xml`. */
  path: string;
  body: string;
  contentType: string;
  cacheControl: string;
}

export const DEFAULT_SITE: Omit<SiteConfig, 'siteUrl'> = {
  title: 'Kaupunki',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
  feedLimit: 50,
};
