import { fileNameOf } from '../media/paths.js';
import { type MediaFile, type MediaLookup, resolveMedia } from '../media/resolve.js';
import type { MediaReference } from '../media/types.js';
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
  const refused = new Set(resolved.refusals.map(({ reference }) => reference.url));
  const warnings = resolved.refusals.map(({ reference, reason }) =>
    warning(release, reference, `\`${reference.sourcePath}\` was not published: ${reason}`),
  );
  // A document shown as a picture (`image: liite.pdf`, `![](liite.pdf)`) is not one.
  const notPictures = new Set<string>();
  const references = resolved.references.map((reference): MediaReference => {
    if (reference.file?.kind !== 'document' || !reference.shownAsImage) return reference;
    notPictures.add(reference.url);
    warnings.push(
      warning(
        release,
        reference,
        `\`${reference.sourcePath}\` is a document, not a picture, so it is not shown as one. Link to it instead: [${fileNameOf(reference.sourcePath)}](…).`,
      ),
    );
    if (reference.linked) return reference;
    const { file: _notPublished, ...rest } = reference;
    return rest;
  });
  const sizes = new Map<string, { width: number; height: number }>();
  for (const { url, file } of references) {
    if (file?.width !== undefined && file.height !== undefined) {
      sizes.set(url, { width: file.width, height: file.height });
    }
  }
  const attached: Release = { ...release, media: references };
  const dropImages = new Set([...refused, ...notPictures]);
  if (dropImages.size > 0 || sizes.size > 0) {
    attached.contentHtml = rewriteMediaHtml(release.contentHtml, {
      dropImages,
      dropLinks: refused,
      sizes,
    });
  }
  if (attached.image !== undefined && dropImages.has(attached.image)) {
    delete attached.image;
    delete attached.imageAlt;
  }
  const published = new Set(
    references.filter((r) => r.file !== undefined).map((r) => r.publicPath),
  );
  const files = resolved.files.filter((file) => published.has(file.path));
  return { release: attached, files, warnings };
}

function warning(release: Release, reference: MediaReference, message: string): ReleaseWarning {
  return {
    path: release.sourcePath,
    ...(reference.line === undefined ? {} : { line: reference.line }),
    message,
  };
}
