import { monthDocSchema } from '../pipeline/months.js';
import { releaseRecordSchema } from '../pipeline/records.js';
import { MONTHS_PREFIX, recordKey } from '../pipeline/state-keys.js';
import { loadRelease, type StoredRelease } from '../pipeline/stored-release.js';
import { windowDocSchema, windowKey } from '../pipeline/windows.js';
import { DEFAULT_NOTIFY_MAX_AGE_MS, isArchiveImport } from '../release/newness.js';
import type { Release } from '../release/types.js';
import { readDocument } from '../shared/document-store.js';
import type { ObjectStore } from '../shared/ports.js';
import { newestFirst } from '../site/order.js';
import type { ReleaseSource } from './types.js';

/**
 * Releases from the publishing pipeline's state in the private bucket, read-only. A release
 * "became public" at its `firstPublishedAt` (set by the pipeline when it first made the release
 * public: at upload, or at the embargo pass after `published`; kept across edits), or at its
 * `published` instant in state written before that field existed.
 *
 * Requests: the `all` feed window (`state/windows/all.json`) in one GET, which is enough while it
 * holds the whole archive; otherwise every archive month (`state/months/`: one LIST and one GET per
 * month), because a back-dated upload can become public today with a `published` date in any month.
 * See docs/digest.md for the index that would make this one or two GETs.
 */
export class PipelineReleaseSource implements ReleaseSource {
  /**
   * @param notifyMaxAgeMs `NOTIFY_MAX_AGE`: a release older than this at its first publication
   *   (an archive import) is never new, whenever it became public.
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly notifyMaxAgeMs: number = DEFAULT_NOTIFY_MAX_AGE_MS,
  ) {}

  async publishedBetween(since: Date, until: Date): Promise<Release[]> {
    // New both by publication (in the window) and by date (not an archive import).
    const inPeriod = (release: Omit<StoredRelease, 'contentHtml'>) => {
      const at = Date.parse(release.firstPublishedAt ?? release.published);
      const published = { published: new Date(release.published) };
      return (
        at > since.getTime() &&
        at <= until.getTime() &&
        !isArchiveImport(published, new Date(at), this.notifyMaxAgeMs)
      );
    };
    const window = (await readDocument(this.store, windowKey({ kind: 'all' }), windowDocSchema))
      ?.value;
    if (window === undefined || window.exhaustive) {
      const entries = window?.entries ?? [];
      return newestFirst(
        entries.filter((e) => inPeriod(e.release)).map((e) => loadRelease(e.release)),
      );
    }
    const found: Release[] = [];
    for await (const object of this.store.list(MONTHS_PREFIX)) {
      const doc = (await readDocument(this.store, object.key, monthDocSchema))?.value;
      for (const entry of doc?.entries ?? []) {
        // The archive keeps no body; the digest shows none.
        if (inPeriod(entry.release)) found.push(loadRelease({ ...entry.release, contentHtml: '' }));
      }
    }
    return newestFirst(found);
  }

  /** The public release stored for the object `key` under `releases/` (one GET), if any. */
  async releaseAt(key: string): Promise<Release | undefined> {
    return (await this.publicationAt(key))?.release;
  }

  /**
   * The public release stored for `key` and when it first became public (absent in state written
   * before the pipeline recorded it), one GET.
   */
  async publicationAt(
    key: string,
  ): Promise<{ release: Release; firstPublishedAt?: Date } | undefined> {
    const record = (await readDocument(this.store, recordKey(key), releaseRecordSchema))?.value;
    if (!record?.release) return undefined;
    const first = record.release.firstPublishedAt;
    const release = loadRelease(record.release);
    return first === undefined ? { release } : { release, firstPublishedAt: new Date(first) };
  }
}
