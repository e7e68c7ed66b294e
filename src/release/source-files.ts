/**
 * Which files are releases: one rule for the CLI's folder walk, the S3 pipeline and reconcile, so
 * a file publishes the same way wherever it is built.
 */

const MARKDOWN_EXTENSION = '.md';

/**
 * Whether a `/`-separated path relative to the releases root names a release: a Markdown file
 * (`.md` in any letter case, since Windows tools save `TIEDOTE.MD`) with a name besides the
 * extension, and no file or folder name starting with a dot. Those are hidden files that tools
 * leave next to real ones (macOS `._name.md` copies, editor lock files, `.git/`, `.github/`
 * templates) and never releases.
 */
export function isReleaseSourcePath(relativePath: string): boolean {
  if (!relativePath.toLowerCase().endsWith(MARKDOWN_EXTENSION)) return false;
  const segments = relativePath.split('/');
  const name = segments.at(-1) ?? '';
  if (name.length <= MARKDOWN_EXTENSION.length) return false;
  return segments.every((segment) => !isHiddenName(segment));
}

/** Whether a single file or folder name is hidden (starts with a dot); the walk skips such folders. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}
