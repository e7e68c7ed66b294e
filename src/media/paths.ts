/** Where published media live on the public side: `media/<path beside the releases>`. */
export const MEDIA_FOLDER = 'media/';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Extensions of links that lead to pages rather than files beside the release. */
const PAGE_EXTENSIONS = new Set(['html', 'htm', 'md']);

/**
 * Whether `reference` (a link or image URL as written) names a file beside the release: a relative
 * path, not a page (`.html`, `.md`) and not a fragment or query of the page itself. For a link it
 * must have a file extension (`liite.pdf`); an image's source is always a file.
 */
export function isFileReference(reference: string, kind: 'image' | 'link'): boolean {
  const value = reference.trim();
  if (value === '' || SCHEME.test(value) || /^[/\\#?]/.test(value)) return false;
  const name = (value.split(/[?#]/, 1)[0] ?? '').split('/').pop() ?? '';
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (extension !== undefined && PAGE_EXTENSIONS.has(extension)) return false;
  return kind === 'image' || extension !== undefined;
}

/**
 * The path (relative to the releases root, `/`-separated, NFC) of the file `reference` names,
 * seen from the release at `releasePath`; `undefined` when it climbs out of the releases root
 * (`../../x.jpg`) or is not a file path.
 */
export function mediaSourcePath(releasePath: string, reference: string): string | undefined {
  const path = decodePath((reference.trim().split(/[?#]/, 1)[0] ?? '').replaceAll('\\', '/'));
  const segments = releasePath.normalize('NFC').split('/').slice(0, -1);
  for (const segment of path.normalize('NFC').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.pop() === undefined) return undefined;
    } else {
      segments.push(segment);
    }
  }
  const last = segments[segments.length - 1];
  return last === undefined || path.endsWith('/') ? undefined : segments.join('/');
}

/**
 * The public path of a media file: its path beside the releases under `media/`. Stable (the same
 * file always has the same address) and collision-free (two releases' `kuva.jpg` in different
 * folders are two paths; one file that several releases reference is published once).
 */
export function mediaPublicPath(sourcePath: string): string {
  return MEDIA_FOLDER + sourcePath;
}

/** The absolute URL of a public path, each segment percent-encoded. */
export function mediaUrl(siteUrl: string, publicPath: string): string {
  const site = siteUrl.replace(/\/+$/, '');
  return `${site}/${publicPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** The file name of a path: its last segment. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `%C3%A4` → `ä` where the reference was percent-encoded (Markdown links are); as is otherwise. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
