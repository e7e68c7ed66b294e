import { describe, expect, it } from 'vitest';
import { LocalPipelineQueue } from '../../src/local/pipeline-queue.js';
import type { PipelineEvent } from '../../src/pipeline/events.js';

const put = (key: string): PipelineEvent => ({ kind: 'object', key });
const keysOf = (batch: readonly PipelineEvent[]) =>
  batch.map((event) => (event.kind === 'object' ? event.key : event.kind));

describe('the local publishing queue', () => {
  it('has one consumer: what arrives while a batch runs forms the next batch, in order', async () => {
    const batches: string[][] = [];
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const queue = new LocalPipelineQueue(
      async (batch) => {
        running += 1;
        most = Math.max(most, running);
        batches.push(keysOf(batch));
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
      },
      () => {},
    );
    queue.push(put('a'), put('b'));
    await new Promise((resolve) => setImmediate(resolve));
    queue.push(put('c'));
    queue.push({ kind: 'due' }, put('d'));
    release();
    await queue.settled();
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'due', 'd'],
    ]);
    expect(most).toBe(1);
    expect(queue.batches()).toBe(2);
    expect(queue.failures()).toBe(0);
  });

  it('retries a failed batch whole, then dead-letters it, logging and never throwing', async () => {
    const lines: string[] = [];
    let attempts = 0;
    const queue = new LocalPipelineQueue(
      async (batch) => {
        attempts += 1;
        if (keysOf(batch).includes('broken')) throw new Error('s3rver answered 500');
      },
      (line) => lines.push(line),
      { attempts: 3, delayMs: () => 1 },
    );
    queue.push(put('broken'));
    await queue.settled();
    expect(attempts).toBe(3);
    expect(queue.failures()).toBe(1);
    expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(2);
    expect(lines.at(-1)).toContain('given up: Error: s3rver answered 500');
    queue.push(put('ok'));
    await queue.settled();
    expect(attempts).toBe(4);
    expect(queue.failures()).toBe(1);
  });
});
