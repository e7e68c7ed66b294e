import { relinkMedia } from '../media/relink.js';
import type { MediaFile } from '../media/resolve.js';
import type { MediaReference } from '../media/types.js';
import type { SiteWriter } from './files.js';

/**
 * The page of a preview folder, pointing at the media copied beside it: each published file's
 * public URL becomes its path under the folder (`media/2024/kuva.jpg`, percent-encoded), so the
 * page opened from the disk shows its pictures and attachments without the site.
 */
export function pageWithLocalMedia(html: string, media: readonly MediaReference[]): string {
  const links = new Map<string, string>();
  for (const reference of media) {
    if (reference.file === undefined) continue;
    links.set(reference.url, localPath(reference.publicPath));
  }
  return relinkMedia(html, links);
}

/**
 * Writes the release's published media under the preview folder at their public paths
 * (`DIR/media/…`, the same layout as the site), the bytes exactly as they were checked.
 */
export function writeLocalMedia(writer: SiteWriter, files: readonly MediaFile[]): void {
  for (const file of files) writer.write({ path: file.path, body: file.body });
}

function localPath(publicPath: string): string {
  return publicPath.split('/').map(encodeURIComponent).join('/');
}
