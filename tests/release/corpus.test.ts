import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../src/release/parse.js';
import { CORPUS_EXPECTATIONS, CORPUS_FILES, fixture, OPTIONS } from './support.js';

const expectations = CORPUS_EXPECTATIONS;
const files = CORPUS_FILES;

describe('release fixture corpus', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(files).toEqual(Object.keys(expectations).sort());
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.filter((file) => file.startsWith('bad/')).length).toBeGreaterThanOrEqual(25);
  });

  it.each(files)('%s', (file) => {
    const expected = expectations[file];
    const result = parseRelease(file, fixture(file), OPTIONS);
    if (expected === 'ok') {
      expect(result.ok ? 'ok' : result.problem).toBe('ok');
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok || expected === undefined) return;
    expect(result.problem.path).toBe(file);
    expect(result.problem.message).toContain(expected.error);
    expect(result.problem.line).toBe(expected.line);
    if (expected.field !== undefined) expect(result.problem.field).toBe(expected.field);
  });
});
