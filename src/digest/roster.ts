import type { SubscriberStore } from '../subscribers/store.js';
import type { SubscriberLinks } from '../subscribers/subscriptions.js';
import type { Subscriber } from '../subscribers/types.js';
import type { DigestRecipient, Frequency, RosterShard, RosterSource } from './types.js';

/**
 * The roster as the digest reads it: the subscriber store's shards (`subscribers/shards/<hex>.json`,
 * one GET each, one in memory at a time), filtered to one frequency. Unsubscribed, bounced and
 * complaining addresses are removed from the shards by the subscriptions code, so every record in
 * a shard may be mailed. `links` signs each recipient's own unsubscribe and preferences links.
 */
export function subscriberRoster(
  store: Pick<SubscriberStore, 'readShard'>,
  shardCount: number,
  links: (subscriberId: string) => SubscriberLinks,
): RosterSource {
  return {
    async *shards(frequency: Frequency): AsyncIterable<RosterShard> {
      for (let shard = 0; shard < shardCount; shard += 1) {
        yield {
          id: shard.toString(16).padStart(2, '0'),
          async *recipients() {
            for (const subscriber of await store.readShard(shard)) {
              if (subscriber.frequency === frequency) yield toRecipient(subscriber, links);
            }
          },
        };
      }
    },
  };
}

/**
 * A subscriber as a digest recipient. Subscribers choose one language: it is both the language of
 * their mail and the language of the releases they get (as the per-language feeds do).
 */
export function toRecipient(
  subscriber: Subscriber,
  links: (subscriberId: string) => SubscriberLinks,
): DigestRecipient {
  return {
    id: subscriber.id,
    email: subscriber.address,
    lang: subscriber.lang,
    categories: subscriber.categories,
    languages: [subscriber.lang],
    ...links(subscriber.id),
  };
}
