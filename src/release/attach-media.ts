import { type MediaFile, type MediaLookup, resolveMedia } from '../media/resolve.js';
import { rewriteMediaHtml } from './sanitize.js';
import type { Release, ReleaseWarning } from './types.js';

/** A release with its media checked: what to publish, and what staff should know. */
export interface AttachedMedia {
  /** The release, its `media` marked published (`file`) or not, and nothing pointing at a file that is not. */
  release: Release;
  /** The files to publish under `media/`, one per published reference. */
  files: MediaFile[];
  /** One per file not published: missing, too large, SVG, or not what its name says. */
  warnings: ReleaseWarning[];
}

/**
 * Checks the files beside `release` that it references (found with `lookup`), and completes the
 * release from what was found: images get their real `width`/`height` in the body, and an image
 * or link whose file is not published goes (a link keeps its text; a lead image goes with its
 * alt text), so nothing a resident sees points at a file that does not exist. Call it on a freshly
 * parsed release: what it removed does not come back when the file arrives later, a new parse does.
 */
export async function attachMedia(release: Release, lookup: MediaLookup): Promise<AttachedMedia> {
  if (release.media === undefined || release.media.length === 0) {
    return { release, files: [], warnings: [] };
  }
  const resolved = await resolveMedia(release.media, lookup);
  const dropped = new Set(resolved.refusals.map(({ reference }) => reference.url));
  const sizes = new Map<string, { width: number; height: number }>();
  for (const { url, file } of resolved.references) {
    if (file?.width !== undefined && file.height !== undefined) {
      sizes.set(url, { width: file.width, height: file.height });
    }
  }
  const attached: Release = { ...release, media: resolved.references };
  if (dropped.size > 0 || sizes.size > 0) {
    attached.contentHtml = rewriteMediaHtml(release.contentHtml, dropped, sizes);
  }
  if (attached.image !== undefined && dropped.has(attached.image)) {
    delete attached.image;
    delete attached.imageAlt;
  }
  const warnings = resolved.refusals.map(({ reference, reason }) => ({
    path: release.sourcePath,
    ...(reference.line === undefined ? {} : { line: reference.line }),
    message: `\`${reference.sourcePath}\` was not published: ${reason}`,
  }));
  return { release: attached, files: resolved.files, warnings };
}
