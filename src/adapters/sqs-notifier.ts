import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Notifier, PipelineNotice } from '../pipeline/notifier.js';

/**
 * {@link Notifier} that puts each notice on an SQS queue as JSON; the message attribute `type`
 * lets consumers (and subscription filters) route without parsing the body.
 */
export class SqsNotifier implements Notifier {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async notify(notice: PipelineNotice): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(notice),
        MessageAttributes: { type: { DataType: 'String', StringValue: notice.type } },
      }),
    );
  }
}
