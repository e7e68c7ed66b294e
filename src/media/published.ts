import type { MediaInfo, MediaReference } from './types.js';

// Kept apart from the checking code (file-type, image-size): pages and feeds need only this.

/** A published media file of a release, with what checking its bytes found. */
export type PublishedMedia = MediaReference & { file: MediaInfo };

/** The release's published media files (those whose bytes were checked), in reference order. */
export function publishedMedia(release: { media?: readonly MediaReference[] }): PublishedMedia[] {
  return (release.media ?? []).filter((media): media is PublishedMedia => media.file !== undefined);
}

/** The published file behind `url` (the lead image's, say), if it is one of the release's media. */
export function mediaAt(
  release: { media?: readonly MediaReference[] },
  url: string,
): PublishedMedia | undefined {
  return publishedMedia(release).find((media) => media.url === url);
}

/** The documents the release links to (PDF, DOCX, …) that are published. */
export function publishedDocuments(release: {
  media?: readonly MediaReference[];
}): PublishedMedia[] {
  return publishedMedia(release).filter((media) => media.file.kind === 'document');
}
