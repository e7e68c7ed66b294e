import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { jsonLog } from '../observability/log.js';
import type { DeliveryResult } from './deliver.js';
import type { DigestFrequency } from './types.js';

/** What starts a digest run: the schedule's input, or a continuation from the digest queue. */
export interface DigestTrigger {
  frequency: DigestFrequency;
  /** The slot to run for; absent on a scheduled invocation (then: now). */
  at?: Date;
}

/** The message a paused or busy run leaves on the digest queue to be continued. */
export interface DigestContinuation {
  type: 'digest-continuation';
  frequency: DigestFrequency;
  /** The run's slot (ISO 8601), so the continuation covers exactly the same window. */
  at: string;
  runId: string;
}

/** A malformed trigger: the event does not say which digest to run. */
class DigestTriggerError extends Error {
  override readonly name = 'DigestTriggerError';
}

/**
 * Reads a trigger: `{ "frequency": "daily" }` (the schedule's input, optionally with `at`), or a
 * {@link DigestContinuation}. Throws {@link DigestTriggerError} for anything else.
 */
export function parseDigestTrigger(value: unknown): DigestTrigger {
  const input = value as { frequency?: unknown; at?: unknown } | null;
  const frequency = input?.frequency;
  if (frequency !== 'daily' && frequency !== 'weekly') {
    throw new DigestTriggerError('The event must name a frequency: "daily" or "weekly"');
  }
  if (input?.at === undefined) return { frequency };
  const at = typeof input.at === 'string' ? new Date(input.at) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new DigestTriggerError('"at" must be an ISO 8601 instant');
  return { frequency, at };
}

/** Seconds to wait before continuing a run that did not finish (SQS allows at most 900). */
function continuationDelay(result: Pick<DeliveryResult, 'retryAfterMs'>): number {
  return Math.min(900, Math.max(0, Math.ceil((result.retryAfterMs ?? 0) / 1000)));
}

/** Whether a run must be continued by a later invocation. */
function needsContinuation(result: Pick<DeliveryResult, 'status'> | { status: string }) {
  return result.status === 'paused' || result.status === 'busy';
}

/** Puts a message on an SQS queue, delayed. */
async function enqueue(
  client: SQSClient,
  queueUrl: string,
  body: unknown,
  delaySeconds: number,
): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      DelaySeconds: delaySeconds,
    }),
  );
}

/** The fields of a run's outcome worth a log line (no addresses, no tokens). */
function runSummary(
  result: { runId: string; status: string } & Partial<Omit<DeliveryResult, 'status'>>,
) {
  const { runId, status, reason, sent, rejected, nothingNew, alreadySent, cursor } = result;
  return { runId, status, reason, sent, rejected, nothingNew, alreadySent, cursor };
}

/** Where a mail function puts the continuation of a run that had to stop. */
export interface ContinuationQueue {
  client: SQSClient;
  url: string | undefined;
  /** The setting that names the queue, for the error when it is missing. */
  setting: string;
}

/** What {@link continueRun} needs of a digest or immediate run's outcome. */
export type RunOutcome = Parameters<typeof runSummary>[0];

/**
 * Logs a run's outcome as `event` and, when the run must go on (paused or busy), puts
 * `continuation()` on the queue, delayed as long as the run asks. A run that needs continuing
 * while no queue is configured fails loudly: a paused run must never be dropped silently.
 */
export async function continueRun(
  result: RunOutcome,
  event: string,
  queue: ContinuationQueue,
  continuation: () => unknown,
): Promise<void> {
  jsonLog({ level: 'info', event, ...runSummary(result) });
  if (!needsContinuation(result)) return;
  if (!queue.url)
    throw new Error(`${result.runId} is ${result.status}: ${queue.setting} is not set`);
  await enqueue(queue.client, queue.url, continuation(), continuationDelay(result));
}
