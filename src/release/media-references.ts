import { isFileReference, mediaPublicPath, mediaSourcePath, mediaUrl } from '../media/paths.js';
import type { MediaReference } from '../media/types.js';
import type { ReleaseWarning } from './types.js';

/**
 * Collects the files beside a release that its Markdown references, while the body is rendered:
 * each relative image source or file link becomes the file's public URL under `media/`.
 */
export class MediaReferences {
  private readonly bySource = new Map<string, MediaReference>();
  readonly warnings: ReleaseWarning[] = [];

  constructor(
    private readonly releasePath: string,
    private readonly siteUrl: string,
    /** File lines before the Markdown body, to report body lines as file lines. */
    private readonly lineOffset = 0,
  ) {}

  /**
   * The public URL for `reference` when it names a file beside the release (recorded), `null` when
   * it tries to but cannot be published (outside the releases folder: a warning), and `undefined`
   * when it is an ordinary URL. `bodyLine` is 1-based within the Markdown body.
   */
  resolve(reference: string, kind: 'image' | 'link', bodyLine?: number): string | null | undefined {
    return this.resolveAt(
      reference,
      kind,
      bodyLine === undefined ? undefined : bodyLine + this.lineOffset,
    );
  }

  /** {@link resolve} for a front-matter field (`image:`) on `line` of the file. */
  resolveAt(reference: string, kind: 'image' | 'link', line?: number): string | null | undefined {
    if (!isFileReference(reference, kind)) return undefined;
    const sourcePath = mediaSourcePath(this.releasePath, reference);
    if (sourcePath === undefined) {
      this.warnings.push({
        path: this.releasePath,
        ...(line === undefined ? {} : { line }),
        message: `\`${reference.trim().slice(0, 100)}\` points outside the releases folder, so it was not published. Put the file beside the release (or in a folder under it) and refer to it by its name.`,
      });
      return null;
    }
    let known = this.bySource.get(sourcePath);
    if (known === undefined) {
      const publicPath = mediaPublicPath(sourcePath);
      known = { sourcePath, publicPath, url: mediaUrl(this.siteUrl, publicPath) };
      if (line !== undefined) known.line = line;
      this.bySource.set(sourcePath, known);
    }
    if (kind === 'image') known.shownAsImage = true;
    else known.linked = true;
    const fragment = /#.*$/s.exec(reference.trim())?.[0] ?? '';
    return known.url + (kind === 'link' ? fragment : '');
  }

  /** Every file referenced, in order of first reference. */
  list(): MediaReference[] {
    return [...this.bySource.values()];
  }
}
