import type { Logger, PipelineDeps } from './deps.js';

/**
 * Tells the hub, if one is configured, about every feed among the public files just `written`.
 * A failure is logged, never thrown: the files are already right, readers that poll still see
 * them, and a retry of the whole sync would find nothing changed and so announce nothing either.
 */
export async function announceFeeds(
  deps: Pick<PipelineDeps, 'hub' | 'site'>,
  written: readonly string[],
  log: Logger,
): Promise<void> {
  if (deps.hub === undefined) return;
  // Everything under feeds/ is a feed (src/feeds/scopes.ts): each file is a topic of its own.
  const topics = written
    .filter((path) => path.startsWith('feeds/'))
    .map((path) => `${deps.site.siteUrl}/${path}`);
  if (topics.length === 0) return;
  try {
    await deps.hub.publish(topics);
    log('feeds announced to the WebSub hub', { topics: topics.length });
  } catch (error) {
    log('WebSub hub not told of changed feeds', { topics, error: String(error) });
  }
}
