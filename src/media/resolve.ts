import { checkMedia, tooLarge } from './check.js';
import { attachmentDisposition } from './disposition.js';
import { MAX_MEDIA_BYTES } from './limits.js';
import { fileNameOf } from './paths.js';
import type { MediaReference } from './types.js';

/**
 * A media file as its store has it: the size first, so a file over the limit is never read.
 * `read` gives `undefined` when the file is gone by then (deleted meanwhile).
 */
export interface MediaSource {
  size: number;
  read(): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/**
 * Finds a file beside the releases by its path relative to the releases root (the S3 key without
 * `releases/`); `undefined` when there is none.
 */
export type MediaLookup = (
  sourcePath: string,
) => MediaSource | undefined | Promise<MediaSource | undefined>;

/** A media file to publish: its bytes and how it is served. */
export interface MediaFile {
  /** Path relative to the site root (`media/…`): the public bucket's key, or the file under --out. */
  path: string;
  /** Where it comes from, relative to the releases root. */
  sourcePath: string;
  body: Uint8Array;
  contentType: string;
  cacheControl: string;
  /** Documents: `attachment` with the original name (RFC 6266). */
  contentDisposition?: string;
}

/** A referenced file that is not published, and why. */
interface MediaRefusal {
  reference: MediaReference;
  reason: string;
}

/** What {@link resolveMedia} found. */
export interface ResolvedMedia {
  /** The references, in the same order, each with `file` when it is published. */
  references: MediaReference[];
  /** The bytes to publish, one per published reference. */
  files: MediaFile[];
  refusals: MediaRefusal[];
}

/** Media may be replaced under the same name: caches hold it as long as a release page. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=3600';

/**
 * Checks each referenced file (found with `lookup`) and says which are published, with their bytes
 * and facts, and which are not, with a reason staff can act on: missing, over the size limit, SVG,
 * or bytes that are not the allowed type the name says. Reads nothing but through `lookup`.
 */
export async function resolveMedia(
  references: readonly MediaReference[],
  lookup: MediaLookup,
): Promise<ResolvedMedia> {
  const resolved: ResolvedMedia = { references: [], files: [], refusals: [] };
  for (const reference of references) {
    const { file: _previous, ...bare } = reference;
    const outcome = await resolveOne(bare, lookup);
    if (typeof outcome === 'string') {
      resolved.references.push(bare);
      resolved.refusals.push({ reference: bare, reason: outcome });
    } else {
      resolved.references.push(outcome.reference);
      resolved.files.push(outcome.file);
    }
  }
  return resolved;
}

const NOT_FOUND =
  'The file was not found beside the release. Upload it too, or check the spelling and letter case of its name.';

async function resolveOne(
  reference: MediaReference,
  lookup: MediaLookup,
): Promise<string | { reference: MediaReference; file: MediaFile }> {
  const source = await lookup(reference.sourcePath);
  if (source === undefined) return NOT_FOUND;
  if (source.size > MAX_MEDIA_BYTES) return tooLarge(source.size);
  const body = await source.read();
  if (body === undefined) return NOT_FOUND;
  const name = fileNameOf(reference.sourcePath);
  const check = await checkMedia(name, body);
  if (!check.ok) return check.reason;
  const file: MediaFile = {
    path: reference.publicPath,
    sourcePath: reference.sourcePath,
    body,
    contentType: check.info.contentType,
    cacheControl: MEDIA_CACHE_CONTROL,
  };
  if (check.info.kind === 'document') file.contentDisposition = attachmentDisposition(name);
  return { reference: { ...reference, file: check.info }, file };
}
