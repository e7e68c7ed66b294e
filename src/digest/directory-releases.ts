import { parseRelease } from '../release/parse.js';
import type { Release, ReleaseProblem } from '../release/types.js';
import { findReleaseFiles, readBytes } from '../shared/release-files.js';
import type { SiteConfig } from '../site/config.js';
import { newestFirst } from '../site/order.js';
import type { ReleaseSource } from './types.js';

/**
 * Releases parsed from a folder of Markdown files (the CLI preview): a release "became public" at
 * its `published` instant. Files that do not parse are reported through `onProblem` and left out.
 */
export class DirectoryReleaseSource implements ReleaseSource {
  constructor(
    private readonly root: string,
    private readonly site: SiteConfig,
    private readonly onProblem: (path: string, problem: ReleaseProblem) => void = () => {},
  ) {}

  async publishedBetween(since: Date, until: Date): Promise<Release[]> {
    const releases: Release[] = [];
    for (const ref of await findReleaseFiles(this.root)) {
      const result = parseRelease(ref.relativePath, await readBytes(ref.displayPath), this.site);
      if (!result.ok) {
        this.onProblem(ref.displayPath, result.problem);
        continue;
      }
      const at = result.release.published.getTime();
      if (at > since.getTime() && at <= until.getTime()) releases.push(result.release);
    }
    return newestFirst(releases);
  }
}
