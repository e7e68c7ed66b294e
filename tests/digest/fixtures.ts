import type { DigestRecipient, RosterShard, RosterSource } from '../../src/digest/types.js';
import type { Release } from '../../src/release/types.js';
import type { SiteConfig } from '../../src/site/config.js';
import { nameBasedUrn } from '../../src/shared/text.js';

export const SITE: SiteConfig = {
  siteUrl: 'https://tiedotteet.example.fi',
  title: 'Esimerkkilä',
  defaultLang: 'fi',
  timeZone: 'Europe/Helsinki',
  feedLimit: 50,
};

export const FROM = 'Esimerkkilä <tiedotteet@example.fi>';

/** A release as the parser would give it. */
export function release(slug: string, published: string, extra: Partial<Release> = {}): Release {
  return {
    id: nameBasedUrn(`tiedotteet.example.fi:${slug}.md`),
    sourcePath: `${slug}.md`,
    slug,
    title: `Otsikko ${slug}`,
    category: 'Tiedote',
    categorySlug: 'tiedote',
    lang: 'fi',
    published: new Date(published),
    tags: [],
    summary: `Tiivistelmä ${slug}.`,
    contentHtml: '<p>Sisältö.</p>',
    url: `${SITE.siteUrl}/releases/${slug}.html`,
    ...extra,
  };
}

/** A recipient with links that carry their id as the token. */
export function recipient(id: string, extra: Partial<DigestRecipient> = {}): DigestRecipient {
  return {
    id,
    email: `${id}@example.org`,
    lang: 'fi',
    categories: [],
    languages: [],
    unsubscribeUrl: `${SITE.siteUrl}/api/unsubscribe?token=tok-${id}`,
    preferencesUrl: `${SITE.siteUrl}/api/manage?token=tok-${id}`,
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
