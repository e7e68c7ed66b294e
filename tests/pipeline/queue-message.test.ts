import { readFile } from 'node:fs/promises';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { enqueueRequest } from '../../src/adapters/sqs-pipeline-queue.js';
import { decodeInvocation } from '../../src/pipeline/queue-message.js';
import { EventShapeError } from '../../src/pipeline/s3-event.js';

const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));

describe('what the publisher is invoked with', () => {
  it('decodes an SQS FIFO batch of EventBridge S3 events and scheduled requests, in order', async () => {
    expect(decodeInvocation(await fixture('sqs-pipeline-batch.json'))).toEqual([
      {
        kind: 'object',
        key: 'releases/Kevät 2021/C++ ja öljy.md',
        sequencer: '00617F08299329D189',
      },
      { kind: 'object', key: 'releases/2025/vanha.md', sequencer: '00617F0829A1B2C3D4' },
      { kind: 'due' },
      { kind: 'reconcile' },
    ]);
  });

  it('still takes S3 notifications as the local stack hands them over', async () => {
    const events = decodeInvocation(await fixture('put-spaces-umlauts.json'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.kind === 'object')).toBe(true);
  });

  it('refuses a message it cannot read, naming it', () => {
    const batch = { Records: [{ eventSource: 'aws:sqs', body: 'not json' }] };
    expect(() => decodeInvocation(batch)).toThrow(EventShapeError);
    expect(() => decodeInvocation(batch)).toThrow('Records[0].body is not JSON');
    const noKey = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { object: {} } };
    expect(() => decodeInvocation(noKey)).toThrow(/^detail\.object\.key: /);
  });

  it('names the SQS message and the field of a malformed body', () => {
    const body = {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { object: { key: 42, sequencer: '00A1' } },
    };
    const batch = {
      Records: [
        { eventSource: 'aws:sqs', messageId: 'm-1', body: '{"type":"publish-due"}' },
        { eventSource: 'aws:sqs', messageId: 'm-2', body: JSON.stringify(body) },
      ],
    };
    expect(() => decodeInvocation(batch)).toThrow(
      /^Records\[1\] \(SQS message m-2\)\.body: detail\.object\.key: Invalid type: Expected string but received 42$/,
    );
    const notification = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'releases' }, object: { key: 'releases/a.md', sequencer: 'xyz' } },
        },
      ],
    };
    const wrapped = { Records: [{ eventSource: 'aws:sqs', body: JSON.stringify(notification) }] };
    expect(() => decodeInvocation(wrapped)).toThrow(
      'Records[0].body: Records[0].s3.object.sequencer: Invalid sequencer: not hexadecimal',
    );
  });
});

describe('enqueueRequest', () => {
  it('puts a scheduled request on the FIFO queue in the one message group, deduplicated per minute', async () => {
    // No SQS-compatible server runs locally: the request is captured just before it would be
    // sent, after the SDK has serialised and signed it.
    const client = new SQSClient({
      region: 'eu-north-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const sent: string[] = [];
    class Captured extends Error {}
    client.middlewareStack.add(
      () => async (args) => {
        sent.push((args.request as { body: string }).body);
        throw new Captured('captured before sending');
      },
      { step: 'finalizeRequest', name: 'captureRequest', priority: 'low' },
    );
    const queue = 'https://sqs.eu-north-1.amazonaws.com/123456789012/newsroom-pipeline.fifo';
    const at = new Date('2026-01-15T10:05:42Z');
    await expect(enqueueRequest(client, queue, { type: 'publish-due' }, at)).rejects.toBeInstanceOf(
      Captured,
    );
    expect(JSON.parse(sent[0] ?? '{}')).toEqual({
      QueueUrl: queue,
      MessageBody: '{"type":"publish-due"}',
      MessageGroupId: 'site',
      MessageDeduplicationId: 'publish-due-2026-01-15T10:05',
    });
  });
});
