import { createHash } from 'node:crypto';
import { isReleaseSourcePath } from '../release/source-files.js';

/** Where staff upload drafts in the releases bucket: never public, previewed privately. */
export const DRAFTS_PREFIX = 'drafts/';

/** Where rendered previews are kept, in the same private bucket. */
export const PREVIEWS_PREFIX = 'previews/';

/** How long a preview link works. */
export const PREVIEW_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether `key` (decoded) names a draft release file: under `drafts/`, a release file name. */
export function isDraftKey(key: string): boolean {
  return key.startsWith(DRAFTS_PREFIX) && isReleaseSourcePath(key.slice(DRAFTS_PREFIX.length));
}

/**
 * The SHA-256 of a draft's key (hex): names its preview, so each draft has one preview that
 * follows its edits and goes away with it, and the link names no file.
 */
export function draftHash(draftKey: string): string {
  return createHash('sha256').update(draftKey).digest('hex');
}

/** `previews/<sha256>.html` for a draft hash. */
export function previewObjectKey(hash: string): string {
  return `${PREVIEWS_PREFIX}${hash}.html`;
}
