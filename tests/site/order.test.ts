import { describe, expect, it } from 'vitest';
import { compareCodeUnits, newestFirst } from '../../src/site/order.js';
import { makeRelease } from '../support/releases.js';

describe('newestFirst', () => {
  const at = (sourcePath: string, iso: string) =>
    makeRelease({ sourcePath, published: new Date(iso) });
  const a = at('b.md', '2021-01-02T00:00:00Z');
  const b = at('a.md', '2021-01-01T00:00:00Z');
  const c = at('c.md', '2021-01-01T00:00:00Z');
  const d = at('Ä.md', '2021-01-01T00:00:00Z');

  it('sorts by published descending, then by sourcePath in code-unit order', () => {
    expect(newestFirst([d, c, b, a]).map((r) => r.sourcePath)).toEqual([
      'b.md',
      'a.md',
      'c.md',
      'Ä.md',
    ]);
  });

  it('limits the result and leaves the input alone', () => {
    const input = [c, a, b];
    expect(newestFirst(input, 2).map((r) => r.sourcePath)).toEqual(['b.md', 'a.md']);
    expect(input.map((r) => r.sourcePath)).toEqual(['c.md', 'b.md', 'a.md']);
    expect(newestFirst(input, 0)).toEqual([]);
  });

  it('compares strings by code unit, not by locale', () => {
    expect(['b', 'Z', 'ä', 'a'].sort(compareCodeUnits)).toEqual(['Z', 'a', 'b', 'ä']);
  });
});
