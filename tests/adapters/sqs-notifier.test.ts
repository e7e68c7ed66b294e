import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsNotifier } from '../../src/adapters/sqs-notifier.js';

describe('SqsNotifier', () => {
  it('sends each notice as one JSON message with its type as a message attribute', async () => {
    // No SQS-compatible server runs locally: the request is captured just before it would be
    // sent, after the SDK has serialised and signed it.
    const client = new SQSClient({
      region: 'eu-north-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const sent: { url: string; body: string }[] = [];
    class Captured extends Error {}
    client.middlewareStack.add(
      () => async (args) => {
        const request = args.request as { hostname: string; path: string; body: string };
        sent.push({ url: `${request.hostname}${request.path}`, body: request.body });
        throw new Captured('captured before sending');
      },
      { step: 'finalizeRequest', name: 'captureRequest', priority: 'low' },
    );
    const queue = 'https://sqs.eu-north-1.amazonaws.com/123456789012/newsroom-immediate';
    const notice = {
      type: 'release-published' as const,
      releaseId: 'urn:uuid:1',
      key: 'releases/a.md',
      sourcePath: 'a.md',
      url: 'https://tiedotteet.example.fi/releases/a.html',
      published: '2025-01-01T08:00:00.000Z',
    };
    await expect(new SqsNotifier(client, queue).notify(notice)).rejects.toBeInstanceOf(Captured);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]?.body ?? '{}');
    expect(body.QueueUrl).toBe(queue);
    expect(JSON.parse(body.MessageBody)).toEqual(notice);
    expect(body.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'release-published' },
    });
  });
});
