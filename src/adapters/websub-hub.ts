import type { HubNotifier } from '../pipeline/deps.js';

/** A hub that did not accept a publish notification. */
export class HubRejectedError extends Error {
  override readonly name = 'HubRejectedError';
}

/** How long one notification may take: the hub only has to queue it. */
const TIMEOUT_MS = 5_000;

/**
 * A {@link HubNotifier} over HTTP: one `POST hub.mode=publish&hub.url=<topic>` per changed feed,
 * form-encoded, the publish ping that public hubs (Google's pubsubhubbub.appspot.com, Superfeedr,
 * websub.rocks) accept. Any answer other than 2xx, a timeout or a network error rejects.
 */
export function websubHub(hubUrl: string, fetchImpl: typeof fetch = fetch): HubNotifier {
  return {
    async publish(topicUrls) {
      const results = await Promise.allSettled(
        topicUrls.map(async (topic) => {
          const response = await fetchImpl(hubUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          await response.body?.cancel();
          if (!response.ok) {
            throw new HubRejectedError(`${hubUrl} answered ${response.status} for ${topic}`);
          }
        }),
      );
      const failures = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason as unknown] : [],
      );
      if (failures.length > 0) {
        throw new AggregateError(
          failures,
          `${failures.length} of ${topicUrls.length} not accepted`,
        );
      }
    },
  };
}
