import { describe, expect, it } from 'vitest';
import { KeyQueue } from '../../src/shared/key-queue.js';

/** A promise and the function that settles it, for ordering work by hand. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('KeyQueue', () => {
  it('runs work for one key in order, one at a time, and other keys alongside', async () => {
    const queue = new KeyQueue();
    const log: string[] = [];
    const first = gate();
    const a1 = queue.run('a', async () => {
      log.push('a1 start');
      await first.opened;
      log.push('a1 end');
    });
    const a2 = queue.run('a', async () => {
      log.push('a2');
    });
    const b = queue.run('b', async () => {
      log.push('b');
    });
    await b;
    expect(log).toEqual(['a1 start', 'b']);
    first.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('goes on after a failure, which reaches only its own caller', async () => {
    const queue = new KeyQueue();
    const failing = queue.run('a', async () => {
      throw new Error('boom');
    });
    const next = queue.run('a', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
