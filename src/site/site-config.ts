import * as v from 'valibot';
import type { ObjectStore } from '../shared/ports.js';
import { describeSettingIssue } from '../shared/schemas.js';
import { mergeCategories } from './categories.js';
import { DEFAULT_SITE, type LocalizedText, type SiteBranding, type SiteConfig } from './config.js';

/** A neutral public-sector blue, with 8.6:1 contrast against white. */
export const DEFAULT_PRIMARY_COLOR = '#00426e';

/**
 * The organisation name when none is configured: neutral, in the three languages of the UI
 * (`SITE_TITLE`'s default is the Finnish one).
 */
export const DEFAULT_ORGANISATION_NAME = {
  fi: 'Kaupunki',
  sv: 'Staden',
  en: 'The City',
} as const satisfies LocalizedText;

/** The branding of `site`: its configured one, else the defaults under the site's title. */
export function brandingOf(site: SiteConfig): SiteBranding {
  return (
    site.branding ?? {
      name:
        site.title === DEFAULT_ORGANISATION_NAME.fi
          ? DEFAULT_ORGANISATION_NAME
          : { [site.defaultLang]: site.title },
      primaryColor: DEFAULT_PRIMARY_COLOR,
    }
  );
}

/** The organisation's name for readers of `lang`. */
export function organisationName(site: SiteConfig, lang: string): string {
  return localized(brandingOf(site).name, lang, site.defaultLang) ?? site.title;
}

/** `site.json` or the environment holds a value the site cannot use; names the field. */
export class SiteSettingsError extends Error {
  override readonly name = 'SiteSettingsError';
}

/**
 * The text of `text` for a reader of `lang`: that language's, else `fallbackLang`'s, else the first.
 * `undefined` only when `text` is absent or empty.
 */
export function localized(
  text: LocalizedText | undefined,
  lang: string,
  fallbackLang: string,
): string | undefined {
  if (text === undefined) return undefined;
  return text[lang] ?? text[fallbackLang] ?? Object.values(text)[0];
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const LANG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first entry of `record` that fails `ok`, for a message naming it. */
function firstBad(record: unknown, ok: (key: string, value: unknown) => boolean): string {
  const entries = isPlainObject(record) ? Object.entries(record) : [];
  return entries.find(([key, value]) => !ok(key, value))?.[0] ?? '';
}

const isText = (_: string, text: unknown) => typeof text === 'string' && text.trim() !== '';

/**
 * A text in every language (`"Esimerkkilä"`, kept as `{ und: … }`) or texts by language code
 * (`{ "fi": …, "sv": … }`), trimmed.
 */
const localizedText = v.pipe(
  v.unknown(),
  v.check(
    (value) => isText('', value) || isPlainObject(value),
    'must be a text or an object of texts by language',
  ),
  v.transform((value) => (typeof value === 'string' ? { und: value } : value)),
  v.record(v.string(), v.unknown()),
  v.check(
    (text) => Object.keys(text).every((lang) => LANG.test(lang)),
    (issue) => `"${firstBad(issue.input, (lang) => LANG.test(lang))}" is not a language code`,
  ),
  v.check(
    (text) => Object.entries(text).every(([lang, item]) => isText(lang, item)),
    (issue) => `the "${firstBad(issue.input, isText)}" text must be a non-empty string`,
  ),
  v.check((text) => Object.keys(text).length > 0, 'is empty'),
  v.transform(
    (text): LocalizedText =>
      Object.fromEntries(Object.entries(text).map(([lang, item]) => [lang, String(item).trim()])),
  ),
);

/** Texts by language that must all be http(s) URLs. */
const localizedUrls = v.pipe(
  localizedText,
  v.check(
    (text) => Object.values(text).every(isHttpUrl),
    (issue) =>
      `must be http(s) URLs, got "${Object.values(issue.input as LocalizedText).find((url) => !isHttpUrl(url))}"`,
  ),
);

const COLOUR_RULE = 'must be a colour such as "#00426e"';

/** `site.json`: every field optional; `categories` is checked by `mergeCategories`. */
const siteJsonSchema = v.object(
  {
    name: v.optional(localizedText),
    logo: v.optional(
      v.pipe(
        v.string('must be a path such as "media/logo.svg" or an https URL'),
        v.check(isSitePathOrHttps, 'must be a path such as "media/logo.svg" or an https URL'),
      ),
    ),
    primaryColor: v.optional(
      v.pipe(v.string(COLOUR_RULE), v.regex(COLOR, COLOUR_RULE), v.transform(expandColor)),
    ),
    contact: v.optional(localizedText),
    privacyUrl: v.optional(localizedUrls),
    accessibilityUrl: v.optional(localizedUrls),
    categories: v.optional(v.unknown()),
  },
  'must hold a JSON object',
);

type SiteJson = v.InferOutput<typeof siteJsonSchema>;

/**
 * `site` with `site.json` (in the releases bucket, or the CLI's `--site-config FILE`) laid over
 * it: each branding field it sets replaces the environment's, and its `categories` extend the
 * catalogue (src/site/categories.ts). Unknown fields are errors, so a typo is not ignored.
 * @throws {SiteSettingsError} naming the field at fault.
 */
export function applySiteJson(site: SiteConfig, text: string, source = SITE_JSON_NAME): SiteConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SiteSettingsError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(data)) throw new SiteSettingsError(`${source} must hold a JSON object`);
  const known = Object.keys(siteJsonSchema.entries);
  const unknown = Object.keys(data).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new SiteSettingsError(
      `${source}: unknown field ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${known.join(', ')})`,
    );
  }
  const parsed = v.safeParse(siteJsonSchema, data);
  if (!parsed.success) {
    throw new SiteSettingsError(`${source}: ${describeSettingIssue(parsed.issues)}`);
  }
  const result: SiteConfig = { ...site, branding: withBranding(brandingOf(site), parsed.output) };
  if (parsed.output.categories !== undefined) {
    const categories = mergeCategories(parsed.output.categories, site.categories);
    if (typeof categories === 'string') throw new SiteSettingsError(`${source}: ${categories}`);
    result.categories = categories;
  }
  return result;
}

/** `base` with each branding field `json` sets; a name is merged language by language. */
function withBranding(base: SiteBranding, json: SiteJson): SiteBranding {
  const { name, logo, primaryColor, contact, privacyUrl, accessibilityUrl } = json;
  return compact({
    ...base,
    name: name === undefined ? base.name : { ...base.name, ...name },
    logo: logo ?? base.logo,
    primaryColor: primaryColor ?? base.primaryColor,
    contact: contact ?? base.contact,
    privacyUrl: privacyUrl ?? base.privacyUrl,
    accessibilityUrl: accessibilityUrl ?? base.accessibilityUrl,
  });
}

/** The branding file's name, beside the releases: `releases/site.json` in the bucket. */
export const SITE_JSON_NAME = 'site.json';

/** Key of {@link SITE_JSON_NAME} in the releases bucket (the CLI reads it from `--releases DIR`). */
export const SITE_JSON_KEY = `releases/${SITE_JSON_NAME}`;

/**
 * `site` with `site.json` from the releases store applied; unchanged when there is none.
 * @throws {SiteSettingsError} when the file is there but unusable: a build must not silently
 * fall back to another look.
 */
export async function withSiteJson(site: SiteConfig, store: ObjectStore): Promise<SiteConfig> {
  const object = await store.get(SITE_JSON_KEY);
  if (object === undefined) return site;
  return applySiteJson(site, Buffer.from(object.body).toString('utf8'), SITE_JSON_KEY);
}

/**
 * The organisation's name in each of `langs`, after `site.json` in `store` is laid over
 * `branding`: what a function that shows only the name (the subscription pages and mail) needs
 * to look like the site the CLI build and the publisher render.
 * @throws {SiteSettingsError} when `site.json` is there but unusable.
 */
export async function organisationNames(
  site: Pick<SiteConfig, 'siteUrl' | 'title' | 'defaultLang'> & { branding: SiteBranding },
  store: ObjectStore,
  langs: readonly string[],
): Promise<Record<string, string>> {
  const applied = await withSiteJson({ ...DEFAULT_SITE, ...site }, store);
  return Object.fromEntries(langs.map((lang) => [lang, organisationName(applied, lang)]));
}

/** Whether `value` is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Whether `value` is a path on the public site (`media/logo.svg`) or an https URL. */
export function isSitePathOrHttps(value: string): boolean {
  if (value.startsWith('https://')) return isHttpUrl(value);
  return /^[\w-][\w./-]*$/.test(value) && !value.split('/').includes('..');
}

/** `#abc` → `#aabbcc`, lower case. */
export function expandColor(color: string): string {
  const hex = color.slice(1).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((digit) => digit + digit).join('')}` : `#${hex}`;
}

/** `text`, or `undefined` when it has no language. */
export function nonEmpty(text: Record<string, string>): LocalizedText | undefined {
  return Object.keys(text).length === 0 ? undefined : text;
}

/** `branding` without its `undefined` fields. */
export function compact(
  branding: { [K in keyof SiteBranding]: SiteBranding[K] | undefined },
): SiteBranding {
  return Object.fromEntries(
    Object.entries(branding).filter(([, value]) => value !== undefined),
  ) as unknown as SiteBranding;
}
