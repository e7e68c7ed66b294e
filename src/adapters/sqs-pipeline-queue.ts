import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineRequest } from '../pipeline/queue-message.js';

/** The one message group of the publishing queue: FIFO order, one batch in flight at a time. */
const PIPELINE_MESSAGE_GROUP = 'site';

/**
 * Puts a scheduled request (`publish-due`, `reconcile`) on the publishing FIFO queue, where the
 * publisher applies it in order with the uploads' events instead of writing beside them. The
 * deduplication id is the request and the minute, so a schedule that fires twice enqueues once.
 */
export async function enqueueRequest(
  client: SQSClient,
  queueUrl: string,
  request: PipelineRequest,
  now: Date,
): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(request),
      MessageGroupId: PIPELINE_MESSAGE_GROUP,
      MessageDeduplicationId: `${request.type}-${now.toISOString().slice(0, 16)}`,
    }),
  );
}
