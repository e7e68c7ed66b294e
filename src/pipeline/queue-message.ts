import * as v from 'valibot';
import { describeIssue } from '../shared/schemas.js';
import type { PipelineEvent } from './events.js';
import { decodeS3Event, decodeS3Key, EventShapeError } from './s3-event.js';

/** A request put on the publishing queue by a schedule rather than by S3. */
export type PipelineRequest = { type: 'publish-due' } | { type: 'reconcile' };

/** An SQS batch as Lambda hands it over: only the fields the publisher reads. */
const sqsBatch = v.object({
  Records: v.array(
    v.object({
      eventSource: v.literal('aws:sqs'),
      body: v.string(),
      messageId: v.optional(v.string()),
    }),
  ),
});

/** S3's EventBridge event (`detail-type` `Object Created` / `Object Deleted`, …). */
const eventBridgeS3Event = v.object({
  'detail-type': v.string(),
  detail: v.object({
    object: v.object({ key: v.string(), sequencer: v.optional(v.string()) }),
  }),
});

/**
 * Decodes what the publisher is invoked with into pipeline events: an SQS batch (each body an
 * S3 event from EventBridge, an S3 notification, or a {@link PipelineRequest}), or one of those
 * directly (the local stack and tests hand S3 notifications over as they come).
 * @throws {EventShapeError} when a message is none of these, naming the message and the field.
 */
export function decodeInvocation(event: unknown): PipelineEvent[] {
  const batch = v.safeParse(sqsBatch, event);
  if (!batch.success) return decodeMessage(event);
  return batch.output.Records.flatMap((record, i) => {
    const where = `Records[${i}]${record.messageId ? ` (SQS message ${record.messageId})` : ''}`;
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new EventShapeError(`${where}.body is not JSON`, { cause: error });
    }
    try {
      return decodeMessage(body);
    } catch (error) {
      if (!(error instanceof EventShapeError)) throw error;
      throw new EventShapeError(`${where}.body: ${error.message}`, { cause: error });
    }
  });
}

/** One message: an EventBridge S3 event, an S3 notification, or a scheduled request. */
function decodeMessage(message: unknown): PipelineEvent[] {
  if (!isObject(message)) throw new EventShapeError('A pipeline message must be an object');
  if (message.type === 'publish-due') return [{ kind: 'due' }];
  if (message.type === 'reconcile') return [{ kind: 'reconcile' }];
  if (message.source === 'aws.s3') return decodeEventBridge(message);
  return decodeS3Event(message).map((record) => ({
    kind: 'object',
    key: record.key,
    sequencer: record.sequencer,
  }));
}

/**
 * S3's EventBridge event. Its key is decoded like a notification's (form encoding: `+` for a
 * space, `%XX`); see docs/pipeline.md, Limits. Other detail types (restores, tagging) are no
 * change to a release.
 */
function decodeEventBridge(message: Record<string, unknown>): PipelineEvent[] {
  const type = message['detail-type'];
  if (type !== 'Object Created' && type !== 'Object Deleted') return [];
  const parsed = v.safeParse(eventBridgeS3Event, message);
  if (!parsed.success) throw new EventShapeError(describeIssue(parsed.issues));
  const { key, sequencer } = parsed.output.detail.object;
  return [{ kind: 'object', key: decodeS3Key(key), ...(sequencer ? { sequencer } : {}) }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
