/** What checking a media file's bytes found out: enough for pages, feeds and mail to point at it. */
export interface MediaInfo {
  /** Images are shown; documents are offered for download. */
  kind: 'image' | 'document';
  /** Decided from the bytes, never from the name. */
  contentType: string;
  /** Size in bytes. */
  length: number;
  /** Pixels, for images. */
  width?: number;
  height?: number;
}

/**
 * A file beside a release that the release references (`image:`, `![](…)`, `[…](…)`), and where it
 * is published. `file` is set once the bytes were checked and the file is published; without it
 * the file is missing or was refused, and nothing points at it.
 */
export interface MediaReference {
  /** Path relative to the releases root, `/`-separated (the S3 key without `releases/`). */
  sourcePath: string;
  /** Path relative to the site root (`media/…`). */
  publicPath: string;
  /** Absolute URL of the published file. */
  url: string;
  /** 1-based line of the first reference in the release file, when known. */
  line?: number;
  /** The release shows it as a picture (`image:`, `![](…)`, `<img>`). */
  shownAsImage?: true;
  /** The release links to it (`[…](…)`, `<a>`). */
  linked?: true;
  file?: MediaInfo;
}
