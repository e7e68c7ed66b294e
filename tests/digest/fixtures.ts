import type { DigestRecipient, RosterShard, RosterSource } from '../../src/digest/types.js';
import type { Release } from '../../src/release/types.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';

export const SITE = TEST_SITE;

export const FROM = { name: 'Esimerkkilä', address: 'tiedotteet@example.fi' };

/** A release `slug` published at `published`, titled and summarized after its slug. */
export function release(slug: string, published: string, extra: Partial<Release> = {}): Release {
  return makeRelease({
    sourcePath: `${slug}.md`,
    title: `Otsikko ${slug}`,
    summary: `Tiivistelmä ${slug}.`,
    published: new Date(published),
    ...extra,
  });
}

/** A recipient whose links carry `tok-<id>` as the token. */
export function recipient(id: string, extra: Partial<DigestRecipient> = {}): DigestRecipient {
  return {
    id,
    email: `${id}@example.org`,
    lang: 'fi',
    categories: [],
    languages: [],
    unsubscribeUrl: `${SITE.siteUrl}/api/unsubscribe?token=tok-${id}`,
    preferencesUrl: `${SITE.siteUrl}/api/preferences?token=tok-${id}`,
    ...extra,
  };
}

/** An in-memory roster: `shards[i]` holds the recipients of shard `s<i>`. */
export function memoryRoster(shards: DigestRecipient[][]): RosterSource {
  return {
    async *shards(): AsyncIterable<RosterShard> {
      for (const [index, recipients] of shards.entries()) {
        yield {
          id: `s${String(index).padStart(2, '0')}`,
          async *recipients() {
            yield* recipients;
          },
        };
      }
    },
  };
}
