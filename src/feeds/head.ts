/** Feed-level facts shared by the Atom, RSS and JSON renderings of one scope. */
export interface FeedHead {
  /** Plain text. */
  title: string;
  /** Plain text. */
  description: string;
  /** Language of the feed; entries in another language say so themselves. */
  lang: string;
  /** The site's front page. */
  homeUrl: string;
  /** Where each rendering is served (its `self` link). */
  urls: { atom: string; rss: string; json: string };
  updated: Date;
  /** Plain text; Atom needs an author for entries that name none. */
  authorName: string;
  /** The WebSub hub readers may subscribe at for instant updates (`rel="hub"`), if any. */
  hub?: string;
  /** Absolute URL of the organisation's logo (Atom `logo`, JSON Feed `icon`), when configured. */
  logo?: string;
}
