import { describe, expect, it } from 'vitest';
import { atFirstUse } from '../../src/shared/first-use.js';

describe('atFirstUse', () => {
  it('makes nothing until the first call, then shares one result among 25 concurrent callers', async () => {
    let made = 0;
    const get = atFirstUse(async () => {
      made += 1;
      return { n: made };
    });
    expect(made).toBe(0);
    const results = await Promise.all(Array.from({ length: 25 }, () => get()));
    expect(made).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(await get()).toBe(results[0]);
    expect(made).toBe(1);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let attempts = 0;
    const get = atFirstUse(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('site.json: name.fi must be text');
      return 'ok';
    });
    await expect(get()).rejects.toThrow('name.fi must be text');
    expect(await get()).toBe('ok');
    expect(await get()).toBe('ok');
    expect(attempts).toBe(2);
  });
});
