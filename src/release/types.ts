import type { MediaReference } from '../media/types.js';

/** A parsed, sanitized release: everything feeds, pages and mail need, and nothing unsafe. */
export interface Release {
  /** Stable, opaque id (`urn:uuid:…`) derived from the release's identity; survives edits. */
  id: string;
  /** Path relative to the releases root (the S3 key without `releases/`), `/`-separated. */
  sourcePath: string;
  /** URL-safe page name: `releases/<slug>.html`. Stable across edits of the same file. */
  slug: string;
  /** Plain text (never HTML); escape wherever it is written. */
  title: string;
  /** Display name of the release type, e.g. `Tiedote`, `Blogi`, `Pressmeddelande`. */
  category: string;
  /** URL-safe category key, e.g. `tiedote`. */
  categorySlug: string;
  /** BCP 47 primary language code: `fi`, `sv`, `en`, … */
  lang: string;
  /** When it was (or will be) published, as an absolute instant. */
  published: Date;
  /** Last substantive edit, when the release states one. */
  updated?: Date;
  /** Plain text. */
  author?: string;
  /** Plain text; from front matter or the first paragraph. */
  summary?: string;
  /**
   * The summary is the body's first paragraph (the release has no `summary:`): pages show it
   * once, in the body, not again above it.
   */
  summaryInBody?: true;
  /** Plain text; the small line above the title in the legacy export. */
  kicker?: string;
  tags: string[];
  /** Absolute URL of the lead image (a `media/` URL when it is a file beside the release). */
  image?: string;
  /** Plain-text description of the lead image, for screen readers and mail clients. */
  imageAlt?: string;
  /**
   * Files beside the release that it references (lead image, body images, linked documents),
   * in order of first reference; each with `file` once its bytes were checked and it is published
   * (see `attachMedia`).
   */
  media?: MediaReference[];
  /** Sanitized HTML of the body, links and images absolute. */
  contentHtml: string;
  /** Absolute URL of the release's public page. */
  url: string;
  /** `translation_key:` from front matter: releases sharing it are one release in several languages. */
  translationKey?: string;
  /**
   * The other language versions (same {@link translationKey}), newest first per language: a
   * whole-set property like the slug, filled in by the site plan (`linkTranslations`), never stored.
   */
  translations?: readonly ReleaseTranslation[];
}

/** A language version of a release, as its translations link to it. */
export interface ReleaseTranslation {
  lang: string;
  url: string;
  /** Plain text. */
  title: string;
}

/** Why a file is not a release: always names the file, and the line or field when known. */
export interface ReleaseProblem {
  path: string;
  /** 1-based line in the original file. */
  line?: number;
  /** Front-matter field the problem is about. */
  field?: string;
  message: string;
}

/**
 * Something staff should fix or know about that does not stop the release from publishing: an
 * unknown front-matter field (with the field probably meant), a media file that was not published.
 * Shown in the same `PATH:LINE: reason` form as a problem.
 */
export interface ReleaseWarning {
  path: string;
  /** 1-based line in the original file. */
  line?: number;
  /** Front-matter field the warning is about. */
  field?: string;
  message: string;
}

export type ParseResult =
  | { ok: true; release: Release; warnings: ReleaseWarning[] }
  | { ok: false; problem: ReleaseProblem };

/** Formats a problem the way the CLI and staff reports show it: `PATH:LINE: reason`. */
export function formatProblem(problem: ReleaseProblem): string {
  const where = problem.line === undefined ? problem.path : `${problem.path}:${problem.line}`;
  return `${where}: ${problem.message}`;
}

/** Formats a warning the same way, marked as one: `PATH:LINE: warning: reason`. */
export function formatWarning(warning: ReleaseWarning): string {
  const where = warning.line === undefined ? warning.path : `${warning.path}:${warning.line}`;
  return `${where}: warning: ${warning.message}`;
}

/**
 * When the release last changed in substance: its `updated` if later than `published`, else
 * `published`. Feeds (`atom:updated`) and sitemaps (`lastmod`) both say this.
 */
export function lastChanged(release: Pick<Release, 'published' | 'updated'>): Date {
  const { published, updated } = release;
  return updated !== undefined && updated.getTime() > published.getTime() ? updated : published;
}
