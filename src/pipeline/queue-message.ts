import type { PipelineEvent } from './events.js';
import { decodeS3Event, decodeS3Key, EventShapeError } from './s3-event.js';

/** A request put on the publishing queue by a schedule rather than by S3. */
export type PipelineRequest = { type: 'publish-due' } | { type: 'reconcile' };

/**
 * Decodes what the publisher is invoked with into pipeline events: an SQS batch (each body an
 * S3 event from EventBridge, an S3 notification, or a {@link PipelineRequest}), or one of those
 * directly (the local stack and tests hand S3 notifications over as they come).
 * @throws {EventShapeError} when a message is none of these.
 */
export function decodeInvocation(event: unknown): PipelineEvent[] {
  if (isObject(event) && Array.isArray(event.Records) && event.Records.every(isSqsRecord)) {
    return event.Records.flatMap((record, i) => {
      let body: unknown;
      try {
        body = JSON.parse(String((record as { body: unknown }).body));
      } catch (error) {
        throw new EventShapeError(`Records[${i}].body is not JSON`, { cause: error });
      }
      return decodeMessage(body);
    });
  }
  return decodeMessage(event);
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
 * S3's EventBridge event (`detail-type` `Object Created` / `Object Deleted`). Its key is decoded
 * like a notification's (form encoding: `+` for a space, `%XX`); see docs/pipeline.md, Limits.
 */
function decodeEventBridge(message: Record<string, unknown>): PipelineEvent[] {
  const type = message['detail-type'];
  if (type !== 'Object Created' && type !== 'Object Deleted') return [];
  const detail = message.detail;
  const object = isObject(detail) && isObject(detail.object) ? detail.object : undefined;
  if (typeof object?.key !== 'string') throw new EventShapeError('detail.object.key is missing');
  const sequencer = typeof object.sequencer === 'string' ? object.sequencer : undefined;
  return [{ kind: 'object', key: decodeS3Key(object.key), ...(sequencer ? { sequencer } : {}) }];
}

function isSqsRecord(record: unknown): boolean {
  return isObject(record) && record.eventSource === 'aws:sqs' && typeof record.body === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
