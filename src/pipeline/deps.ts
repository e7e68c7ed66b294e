import { logger, unreserved } from '../observability/log.js';
import { countEvent } from '../observability/metrics.js';
import { INDEX_LIMIT } from '../pages/index-page.js';
import type { Clock, ObjectStore } from '../shared/ports.js';
import type { SiteConfig } from '../site/config.js';
import type { Notifier } from './notifier.js';
import { type ScopeRef, windowCapacity } from './windows.js';

/**
 * Tells a WebSub hub that topics (feed URLs) have new content
 * (https://www.w3.org/TR/websub/#publishing); the hub then fetches them and pushes them to
 * subscribed readers.
 */
export interface HubNotifier {
  publish(topicUrls: readonly string[]): Promise<void>;
}

/** One structured log line. */
export type Logger = (message: string, fields?: Record<string, unknown>) => void;

/** The one logger (src/observability/log.ts): JSON lines, redacted, counted events counted. */
export const jsonLogger: Logger = (message, fields = {}) => {
  countEvent(message, fields);
  logger.info(message, unreserved(fields));
};

/** Everything the publishing core needs: ports and settings, no environment, no clock of its own. */
export interface PipelineDeps {
  /** The private releases bucket: `releases/` (sources), `state/`, `reports/`. */
  bucket: ObjectStore;
  /** The public site bucket. */
  publicSite: ObjectStore;
  site: SiteConfig;
  clock: Clock;
  notifier: Notifier;
  /** Staff address for rejection and outcome notices (mailed by whoever consumes them). */
  staffEmail?: string;
  log?: Logger;
  /** The WebSub hub to tell about changed feeds (`WEBSUB_HUB`); none: readers poll. */
  hub?: HubNotifier;
}

/** How many releases each scope shows, and how many its window keeps. */
export function windowLimits(site: Pick<SiteConfig, 'feedLimit'>) {
  // The `all` window also feeds the front page, which lists INDEX_LIMIT releases.
  const shown = (scope: ScopeRef) =>
    scope.kind === 'all' ? Math.max(site.feedLimit, INDEX_LIMIT) : site.feedLimit;
  return { shown, capacity: (scope: ScopeRef) => windowCapacity(shown(scope)) };
}
