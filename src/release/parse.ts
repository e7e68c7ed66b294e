import { shortHash, slugify, stripXmlIllegal } from '../shared/text.js';
import { categoryLabel, findCategory } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { parseReleaseDate } from './dates.js';
import { decodeRelease } from './decode.js';
import { meantField, unknownFieldWarnings, unknownKeysHint } from './field-names.js';
import { ReleaseFormatError } from './format-error.js';
import { type FrontMatter, type FrontMatterFields, splitFrontMatter } from './front-matter.js';
import { releaseIdentity } from './identity.js';
import { defaultCategory, languageFromName, languageOfType, primaryLanguage } from './language.js';
import { readLead } from './legacy-export.js';
import { parseMarkdown } from './markdown.js';
import { MediaReferences } from './media-references.js';
import { toPlainText, truncateAtWord } from './plain-text.js';
import { renderReleaseHtml } from './sanitize.js';
import type { ParseResult, Release, ReleaseProblem, ReleaseWarning } from './types.js';
import { resolveImageUrl } from './urls.js';

/** What the parser needs to know about the site. */
export type ParseOptions = Pick<
  SiteConfig,
  'siteUrl' | 'defaultLang' | 'timeZone' | 'idAuthority' | 'categories'
>;

const MAX_TITLE_LENGTH = 300;
const MAX_SUMMARY_LENGTH = 500;
const MAX_AUTHOR_LENGTH = 200;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 100;

/**
 * Reads one release file: decodes the bytes, reads front matter or the legacy export's lead,
 * parses dates in `options.timeZone`, renders and sanitizes the Markdown body. Never throws: a file
 * that is not a valid release comes back as a `ReleaseProblem` naming `path` and, when known, the
 * line and field to fix.
 *
 * @param path the file's path relative to the releases root (the S3 key without `releases/`).
 */
export function parseRelease(path: string, bytes: Uint8Array, options: ParseOptions): ParseResult {
  try {
    const warnings: ReleaseWarning[] = [];
    return { ok: true, release: buildRelease(path, bytes, options, warnings), warnings };
  } catch (error) {
    return { ok: false, problem: toProblem(path, error) };
  }
}

function buildRelease(
  path: string,
  bytes: Uint8Array,
  options: ParseOptions,
  warnings: ReleaseWarning[],
): Release {
  assertSiteUrl(options.siteUrl);
  assertReadablePath(path);
  const source = splitFrontMatter(decodeRelease(bytes));
  const { frontMatter, bodyLineOffset } = source;
  const fields = frontMatter?.fields ?? {};
  warnings.push(...unknownFieldWarnings(path, frontMatter));
  // Where a field is, looked up only when there is a problem to report.
  const at = (field: keyof FrontMatterFields) => () => location(frontMatter, field);

  const { title, lead, frontMatterSummary } = readTitleAndLead(source);
  const scope = readLangAndCategory(path, source, lead.type, options, warnings);
  const published = readPublished(fields, lead.date, options.timeZone, frontMatter);
  const updated = readDate(fields.updated, 'updated', options.timeZone, frontMatter);
  const author = readAuthor(fields.author, at('author'));
  const summary = frontMatterSummary ?? lead.firstParagraph;
  const tags = readTags(fields.tags, at('tags'));
  const identity = releaseIdentity(path, fields.slug, options.siteUrl, options.idAuthority);
  const media = new MediaReferences(identity.sourcePath, options.siteUrl, bodyLineOffset);
  const image = readImage(fields.image, identity.url, media, at('image'));

  const release: Release = {
    id: identity.id,
    sourcePath: identity.sourcePath,
    slug: identity.slug,
    title,
    ...scope,
    published,
    tags,
    contentHtml: renderReleaseHtml(lead.bodyTokens, identity.url, media),
    url: identity.url,
  };
  // An `updated` at or before `date` says nothing new (usually a copied-over old value): ignored.
  if (updated !== undefined && updated.getTime() > published.getTime()) release.updated = updated;
  if (author !== undefined) release.author = author;
  if (summary !== undefined) release.summary = truncateAtWord(summary, MAX_SUMMARY_LENGTH);
  // The first paragraph stands in for a missing summary: pages show it once, in the body.
  if (summary !== undefined && frontMatterSummary === undefined) release.summaryInBody = true;
  if (lead.kicker !== undefined) release.kicker = lead.kicker;
  addImageAndKeys(release, fields, image);
  const references = media.list();
  if (references.length > 0) release.media = references;
  warnings.push(...media.warnings);
  return release;
}

type ReleaseSource = ReturnType<typeof splitFrontMatter>;

/** The title (front matter, else the first heading) and what the body starts with. */
function readTitleAndLead({ frontMatter, body, bodyLineOffset }: ReleaseSource) {
  const fields = frontMatter?.fields ?? {};
  const frontMatterTitle = plainField(fields.title);
  if (fields.title !== undefined && frontMatterTitle === undefined) {
    throw new ReleaseFormatError(
      '`title` is empty: write the release title after `title:`.',
      location(frontMatter, 'title'),
    );
  }
  const frontMatterSummary = plainField(fields.summary);
  const lead = readLead(
    parseMarkdown(body, bodyLineOffset),
    bodyLineOffset,
    frontMatterTitle,
    frontMatterSummary === undefined,
  );
  const title = checkTitle(frontMatterTitle ?? lead.headingTitle, frontMatter);
  return { title, lead, frontMatterSummary };
}

/**
 * The release's language (front matter, else its type's language, else the site's) and its
 * category: Tiedote, Pressmeddelande and Press release are one category, labelled in the
 * release's language.
 */
function readLangAndCategory(
  path: string,
  { frontMatter }: ReleaseSource,
  leadType: string | undefined,
  options: ParseOptions,
  warnings: ReleaseWarning[],
): Pick<Release, 'category' | 'categorySlug' | 'lang'> {
  const fields = frontMatter?.fields ?? {};
  const type = plainField(fields.type) ?? leadType;
  const lang =
    readLang(
      fields.lang,
      () => location(frontMatter, 'lang'),
      (message) => warnings.push({ path, ...location(frontMatter, 'lang'), message }),
    ) ??
    (type === undefined ? undefined : languageOfType(type)) ??
    primaryLanguage(options.defaultLang) ??
    options.defaultLang.trim().toLowerCase();
  const category = type ?? defaultCategory(lang);
  const known = findCategory(category, options.categories);
  return {
    category:
      known === undefined ? category : categoryLabel(known.key, lang, category, options.categories),
    categorySlug: known?.key ?? (slugify(category) || `type-${shortHash(category)}`),
    lang,
  };
}

/** The optional fields read as they stand: translation key and image alternative text. */
function addImageAndKeys(
  release: Release,
  fields: FrontMatterFields,
  image: Release['image'],
): void {
  if (image !== undefined) release.image = image;
  const translationKey = plainField(fields.translation_key);
  if (translationKey !== undefined && translationKey !== '')
    release.translationKey = translationKey;
  const imageAlt = plainField(fields.image_alt);
  if (image !== undefined && imageAlt !== undefined) release.imageAlt = imageAlt;
}

function checkTitle(title: string | undefined, frontMatter: FrontMatter | undefined): string {
  if (title === undefined || title === '') {
    throw new ReleaseFormatError(
      `Expected \`title\` in front matter or a first heading (# Title).${unknownKeysHint(frontMatter?.unknownKeys ?? [])}`,
      missingFieldLocation(frontMatter, 'title'),
    );
  }
  if (title.length > MAX_TITLE_LENGTH) {
    throw new ReleaseFormatError(
      `The title is ${title.length} characters long; keep it to ${MAX_TITLE_LENGTH} at most and put the rest in the summary.`,
      location(frontMatter, 'title'),
    );
  }
  return title;
}

function readAuthor(value: string | undefined, where: () => Where): string | undefined {
  const author = plainField(value);
  if (author !== undefined && author.length > MAX_AUTHOR_LENGTH) {
    throw new ReleaseFormatError(
      `\`author\` is ${author.length} characters long; keep it to ${MAX_AUTHOR_LENGTH} at most.`,
      where(),
    );
  }
  return author;
}

/**
 * The path becomes the release's identity and shows up in reports and feeds' ids; a name damaged by
 * an earlier conversion (U+FFFD) or carrying control characters is refused, like such text.
 */
function assertReadablePath(path: string): void {
  if (path.includes('\uFFFD')) {
    throw new ReleaseFormatError(
      'The file name contains the replacement character U+FFFD (a question mark in a black diamond): an earlier conversion damaged it. Rename the file, retyping the damaged letters (often ä, ö or å).',
    );
  }
  // Nearly every path is clean: one pass to know, and only then a look for the culprit.
  if (stripXmlIllegal(path) === path) return;
  const illegal = [...path].find((character) => stripXmlIllegal(character) !== character);
  if (illegal !== undefined) {
    const code = `U+${(illegal.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new ReleaseFormatError(
      `The file name contains an invisible control character (${code}). Rename the file using letters, digits, spaces and dashes.`,
    );
  }
}

function assertSiteUrl(siteUrl: string): void {
  if (!URL.canParse(siteUrl)) {
    throw new ReleaseFormatError(
      `The site's address \`${siteUrl}\` in the configuration is not a valid URL (expected e.g. https://tiedotteet.example.fi).`,
    );
  }
}

/** Plain text of a front-matter value, or `undefined` when it is absent or empty. */
function plainField(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = toPlainText(value);
  return text === '' ? undefined : text;
}

function readLang(
  value: string | undefined,
  where: () => Where,
  warn: (message: string) => void,
): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const lang = primaryLanguage(value);
  if (lang === undefined) {
    const named = languageFromName(value);
    if (named !== undefined) {
      warn(
        `\`lang: ${value.trim()}\` was read as \`${named}\`; write the language code \`lang: ${named}\`.`,
      );
      return named;
    }
    throw new ReleaseFormatError(
      `\`lang\` must be a language code such as fi, sv or en (optionally with a region, e.g. sv-FI), not \`${value.trim().slice(0, 40)}\`.`,
      where(),
    );
  }
  return lang;
}

function readPublished(
  fields: FrontMatterFields,
  bodyDate: { text: string; line: number } | undefined,
  timeZone: string,
  frontMatter: FrontMatter | undefined,
): Date {
  const fromFrontMatter = readDate(fields.date, 'date', timeZone, frontMatter);
  if (fromFrontMatter !== undefined) return fromFrontMatter;
  if (bodyDate !== undefined) {
    const parsed = parseReleaseDate(bodyDate.text, timeZone);
    if (!parsed.ok) {
      throw new ReleaseFormatError(`The date on the type/date line: ${parsed.reason}`, {
        line: bodyDate.line,
        field: 'date',
      });
    }
    return parsed.date;
  }
  throw new ReleaseFormatError(
    `Expected \`date\` in front matter (date: 2025-04-09 10:00) or a type/date line under the title (**Tiedote** 9.4.2025 10:00). A release must have a date.${unknownKeysHint(frontMatter?.unknownKeys ?? [])}`,
    missingFieldLocation(frontMatter, 'date'),
  );
}

function readDate(
  value: string | undefined,
  field: 'date' | 'updated',
  timeZone: string,
  frontMatter: FrontMatter | undefined,
): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseReleaseDate(value, timeZone);
  if (!parsed.ok) {
    throw new ReleaseFormatError(`\`${field}\`: ${parsed.reason}`, location(frontMatter, field));
  }
  return parsed.date;
}

function readTags(values: string[] | undefined, where: () => Where): string[] {
  if (values === undefined) return [];
  const tags = [...new Set(values.map((value) => toPlainText(value)).filter((tag) => tag !== ''))];
  if (tags.length > MAX_TAGS) {
    throw new ReleaseFormatError(
      `There are ${tags.length} tags; use at most ${MAX_TAGS}.`,
      where(),
    );
  }
  const long = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (long !== undefined) {
    throw new ReleaseFormatError(
      `The tag "${long.slice(0, 40)}…" is too long; keep each tag to ${MAX_TAG_LENGTH} characters at most.`,
      where(),
    );
  }
  return tags;
}

function readImage(
  value: string | undefined,
  pageUrl: string,
  media: MediaReferences,
  where: () => Where,
): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const file = media.resolveAt(value, 'image', where().line);
  if (file !== undefined) return file ?? undefined;
  const url = resolveImageUrl(value.trim(), new URL(pageUrl));
  if (url === undefined) {
    throw new ReleaseFormatError(
      '`image` must be a web address (https://…) or a path relative to the release, e.g. kuvat/kirjasto.jpg.',
      where(),
    );
  }
  return url;
}

/** Where a field's problem is: the field, and the line of its key when the front matter has it. */
type Where = { line?: number; field: string };

/** Where a missing field belongs: the ignored key that probably means it (`otsikko:`), or the first. */
function missingFieldLocation(
  frontMatter: FrontMatter | undefined,
  field: keyof FrontMatterFields,
): Where {
  const keys = frontMatter?.unknownKeys ?? [];
  const unknown = keys.find((key) => meantField(key) === field) ?? keys[0];
  const line = unknown === undefined ? undefined : frontMatter?.lineOf(unknown);
  return line === undefined ? location(frontMatter, field) : { line, field };
}

function location(frontMatter: FrontMatter | undefined, field: keyof FrontMatterFields): Where {
  const line = frontMatter?.lineOf(field);
  return line === undefined ? { field } : { line, field };
}

function toProblem(path: string, error: unknown): ReleaseProblem {
  if (error instanceof ReleaseFormatError) {
    const problem: ReleaseProblem = { path, message: error.message };
    if (error.line !== undefined) problem.line = error.line;
    if (error.field !== undefined) problem.field = error.field;
    return problem;
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    path,
    message: `This file could not be processed because of an unexpected error (${detail.replace(/\s+/g, ' ').slice(0, 200)}). Please report it to the site's maintainers.`,
  };
}
