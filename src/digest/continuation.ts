import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { jsonLog } from '../observability/log.js';
import { describeIssue, instantText } from '../shared/schemas.js';
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

const triggerSchema = v.object(
  {
    frequency: v.picklist(
      ['daily', 'weekly'],
      'The event must name a frequency: "daily" or "weekly"',
    ),
    at: v.optional(
      v.pipe(
        instantText,
        v.transform((text) => new Date(text)),
      ),
    ),
  },
  'The event must be an object such as {"frequency":"daily"}',
);

/**
 * Reads a trigger: `{ "frequency": "daily" }` (the schedule's input, optionally with `at`), or a
 * {@link DigestContinuation}.
 * @param source names the event in the error (an SQS message id).
 * @throws {DigestTriggerError} for anything else, naming the source and the field.
 */
export function parseDigestTrigger(value: unknown, source = 'the event'): DigestTrigger {
  const result = v.safeParse(triggerSchema, value);
  if (result.success) return result.output;
  throw new DigestTriggerError(`${source}: ${describeIssue(result.issues)}`);
}

/**
 * The triggers in what send-digest is invoked with: the schedule's input, or a batch from the
 * digest queue (each body a trigger).
 * @throws {DigestTriggerError} naming the message and the field when one is malformed.
 */
export function digestTriggersOf(event: unknown): DigestTrigger[] {
  const batch = v.safeParse(sqsBodies, event);
  if (!batch.success) return [parseDigestTrigger(event)];
  return batch.output.Records.map(({ body, messageId }) => {
    const source = `SQS message ${messageId}`;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new DigestTriggerError(`${source}: the body is not JSON`, { cause: error });
    }
    return parseDigestTrigger(json, source);
  });
}

const sqsBodies = v.object({
  Records: v.array(v.object({ messageId: v.string(), body: v.string() })),
});

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
