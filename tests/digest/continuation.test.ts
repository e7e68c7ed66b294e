import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  continueRun,
  digestTriggersOf,
  parseDigestTrigger,
} from '../../src/digest/continuation.js';

const QUEUE = 'https://sqs.eu-north-1.amazonaws.com/123456789012/newsroom-digest';

/**
 * An SQS client whose requests are captured after the SDK has serialised and signed them, and
 * answered with an empty success: no SQS-compatible server runs locally.
 */
function capturingClient(): { client: SQSClient; sent: Record<string, unknown>[] } {
  const client = new SQSClient({
    region: 'eu-north-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const sent: Record<string, unknown>[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      const body = JSON.parse((args.request as { body: string }).body);
      sent.push(body);
      // What SQS answers; the SDK checks the digest of the body it sent.
      const md5 = createHash('md5').update(String(body.MessageBody)).digest('hex');
      return { response: {}, output: { $metadata: {}, MD5OfMessageBody: md5 } } as never;
    },
    { step: 'finalizeRequest', name: 'captureRequest', priority: 'low' },
  );
  return { client, sent };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('continueRun', () => {
  it('logs a finished run and queues nothing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { client, sent } = capturingClient();
    const queue = { client, url: QUEUE, setting: 'DIGEST_QUEUE_URL' };
    await continueRun(
      { runId: 'daily-1', status: 'done', sent: 12 },
      'digest.run',
      queue,
      () => ({}),
    );
    expect(sent).toEqual([]);
    const line = JSON.parse(String(log.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ event: 'digest.run', runId: 'daily-1', status: 'done', sent: 12 });
  });

  it('puts a paused or busy run back on the queue, delayed as the run asks (at most 900 s)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { client, sent } = capturingClient();
    const queue = { client, url: QUEUE, setting: 'DIGEST_QUEUE_URL' };
    const next = { type: 'digest-continuation', frequency: 'daily', runId: 'daily-1' };
    await continueRun(
      { runId: 'daily-1', status: 'paused', retryAfterMs: 30_500 },
      'digest.run',
      queue,
      () => next,
    );
    await continueRun(
      { runId: 'daily-1', status: 'busy', retryAfterMs: 3_600_000 },
      'digest.run',
      queue,
      () => next,
    );
    expect(sent.map((body) => [body.QueueUrl, body.DelaySeconds])).toEqual([
      [QUEUE, 31],
      [QUEUE, 900],
    ]);
    expect(JSON.parse(String(sent[0]?.MessageBody))).toEqual(next);
    expect(parseDigestTrigger(JSON.parse(String(sent[0]?.MessageBody)))).toMatchObject({
      frequency: 'daily',
    });
  });

  it('fails loudly when a run must go on and no queue is configured', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { client, sent } = capturingClient();
    const queue = { client, url: undefined, setting: 'IMMEDIATE_QUEUE_URL' };
    await expect(
      continueRun({ runId: 'immediate-1', status: 'paused' }, 'immediate.run', queue, () => ({})),
    ).rejects.toThrow('immediate-1 is paused: IMMEDIATE_QUEUE_URL is not set');
    expect(sent).toEqual([]);
  });
});

describe('digestTriggersOf', () => {
  it('reads the schedule input and a batch of continuations from the digest queue', () => {
    expect(digestTriggersOf({ frequency: 'weekly' })).toEqual([{ frequency: 'weekly' }]);
    const continuation = {
      type: 'digest-continuation',
      frequency: 'daily',
      at: '2026-05-04T05:00:00.000Z',
      runId: 'daily-2026-05-04',
    };
    const batch = { Records: [{ messageId: 'm-1', body: JSON.stringify(continuation) }] };
    expect(digestTriggersOf(batch)).toEqual([
      { frequency: 'daily', at: new Date('2026-05-04T05:00:00.000Z') },
    ]);
  });

  it('names the message and the field of a malformed trigger', () => {
    const body = (value: unknown) => ({
      Records: [
        { messageId: 'm-1', body: '{"frequency":"daily"}' },
        { messageId: 'm-2', body: typeof value === 'string' ? value : JSON.stringify(value) },
      ],
    });
    expect(() => digestTriggersOf(body('{"frequency":'))).toThrow(
      'SQS message m-2: the body is not JSON',
    );
    expect(() => digestTriggersOf(body({ frequency: 'monthly' }))).toThrow(
      'SQS message m-2: frequency: The event must name a frequency: "daily" or "weekly"',
    );
    expect(() => digestTriggersOf(body({ frequency: 'daily', at: 'tomorrow' }))).toThrow(
      'SQS message m-2: at: Invalid instant: expected ISO 8601',
    );
    expect(() => parseDigestTrigger(null)).toThrow(
      'the event: The event must be an object such as {"frequency":"daily"}',
    );
  });
});
