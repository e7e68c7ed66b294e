import type { ReleaseRecord } from '../pipeline/records.js';
import { recordKey, yearKey } from '../pipeline/state-keys.js';
import { readDocument } from '../pipeline/state-store.js';
import { loadRelease, type StoredRelease } from '../pipeline/stored-release.js';
import { type WindowDoc, windowKey } from '../pipeline/windows.js';
import { type YearDoc, yearIn } from '../pipeline/years.js';
import type { Release } from '../release/types.js';
import type { ObjectStore } from '../shared/ports.js';
import { newestFirst } from '../site/order.js';
import type { ReleaseSource } from './types.js';

/**
 * Releases from the publishing pipeline's state in the private bucket, read-only: the `all` feed
 * window (`state/windows/all.json`, the newest releases) in one GET, and only when that window
 * does not reach back to `since`, the archive years the period spans (`state/years/<year>.json`).
 *
 * "Became public" is the release's `published` instant (the pipeline makes a release public at
 * that instant, or at the next embargo pass after it), or `firstPublishedAt` when the state
 * records one; see docs/digest.md for the cases only the latter gets right.
 */
export class PipelineReleaseSource implements ReleaseSource {
  constructor(
    private readonly store: ObjectStore,
    private readonly timeZone: string,
  ) {}

  async publishedBetween(since: Date, until: Date): Promise<Release[]> {
    const inPeriod = (release: StoredRelease | Omit<StoredRelease, 'contentHtml'>) => {
      const at = Date.parse(becamePublic(release));
      return at > since.getTime() && at <= until.getTime();
    };
    const window = (await readDocument<WindowDoc>(this.store, windowKey({ kind: 'all' })))?.value;
    const entries = window?.entries ?? [];
    const oldest = entries.at(-1);
    const reachesBack =
      window === undefined ||
      window.exhaustive ||
      (oldest !== undefined && Date.parse(oldest.release.published) <= since.getTime());
    if (reachesBack) {
      return newestFirst(
        entries.filter((e) => inPeriod(e.release)).map((e) => loadRelease(e.release)),
      );
    }
    const found = new Map<string, Release>();
    for (let year = yearIn(since, this.timeZone); year <= yearIn(until, this.timeZone); year += 1) {
      const doc = (await readDocument<YearDoc>(this.store, yearKey(year)))?.value;
      for (const entry of doc?.entries ?? []) {
        if (inPeriod(entry.release)) {
          found.set(entry.key, loadRelease({ ...entry.release, contentHtml: '' }));
        }
      }
    }
    return newestFirst([...found.values()]);
  }

  /** The public release stored for the object `key` under `releases/` (one GET), if any. */
  async releaseAt(key: string): Promise<Release | undefined> {
    const record = (await readDocument<ReleaseRecord>(this.store, recordKey(key)))?.value;
    return record?.release ? loadRelease(record.release) : undefined;
  }
}

function becamePublic(release: { published: string; firstPublishedAt?: unknown }): string {
  return typeof release.firstPublishedAt === 'string'
    ? release.firstPublishedAt
    : release.published;
}
