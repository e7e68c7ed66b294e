import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The counters CloudWatch alarms and dashboards read (namespace `Newsroom`, EMF lines in the
 * function's log, no API calls): what happened to uploads and to mail.
 */
type Counter =
  | 'Published'
  | 'Rejected'
  | 'Warned'
  | 'MailsSent'
  | 'Bounced'
  | 'Complained'
  | 'ConfirmationLimitHits';

const metrics = new Metrics({
  namespace: 'Newsroom',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom',
});

/**
 * Which logged events are counted, and by how much: the log line and the counter are written at
 * one place, so they never disagree.
 */
const COUNTED: Record<string, (fields: Record<string, unknown>) => [Counter, number][]> = {
  'release synced': (fields) => {
    const counted: [Counter, number][] = [];
    if (fields.change === 'rejected') counted.push(['Rejected', 1]);
    if (fields.change !== 'accepted') return counted;
    if (fields.public === true) counted.push(['Published', 1]);
    if (typeof fields.warnings === 'number' && fields.warnings > 0) counted.push(['Warned', 1]);
    return counted;
  },
  'subscribe.mailed': () => [['MailsSent', 1]],
  'subscribe.throttled': () => [['ConfirmationLimitHits', 1]],
  'subscribe.global-cap': () => [['ConfirmationLimitHits', 1]],
  'ses.permanent-bounce': (fields) => [['Bounced', recipients(fields)]],
  'ses.transient-bounce': (fields) => [['Bounced', recipients(fields)]],
  'ses.complaint': (fields) => [['Complained', recipients(fields)]],
  'digest.run': (fields) => sent(fields),
  'immediate.run': (fields) => sent(fields),
};

function sent(fields: Record<string, unknown>): [Counter, number][] {
  return typeof fields.sent === 'number' && fields.sent > 0 ? [['MailsSent', fields.sent]] : [];
}

/** The recipients one SES notification named (its FeedbackResult's parts), at least one. */
function recipients(fields: Record<string, unknown>): number {
  const parts = [fields.suppressed, fields.counted, fields.unreadable];
  const total = parts.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : 0), 0);
  return Math.max(1, total);
}

// Only Lambda's log is read for EMF: the local stack, the CLI and tests would just print the lines.
// POWERTOOLS_METRICS_DISABLED=false turns them on anywhere (the metrics tests).
const enabled =
  process.env.POWERTOOLS_METRICS_DISABLED === 'false' ||
  (process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined &&
    process.env.POWERTOOLS_METRICS_DISABLED !== 'true');

/** Adds the counters `event` stands for (if any) to this invocation's metrics. */
export function countEvent(event: string, fields: Record<string, unknown>): void {
  if (!enabled) return;
  for (const [name, value] of COUNTED[event]?.(fields) ?? []) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
}

/** Writes this invocation's counters as one EMF line; handlers call it before they return. */
function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** `handle`, publishing the counters of each invocation when it ends, whether it threw or not. */
export function withMetrics<A extends unknown[], R>(
  handle: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handle(...args);
    } finally {
      publishMetrics();
    }
  };
}
