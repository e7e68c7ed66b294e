import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAddress } from '../../src/subscribers/address.js';

describe('parseAddress', () => {
  test.each([
    ['Matti.Meikalainen@Example.FI', 'matti.meikalainen@example.fi'],
    ['  anna+uutiset@kaupunki.fi\t', 'anna+uutiset@kaupunki.fi'],
    ['info@esimerkkilä.fi', 'info@xn--esimerkkil-z5a.fi'],
    ["o'brien@example.co.uk", "o'brien@example.co.uk"],
  ])('accepts and normalizes %j', (input, expected) => {
    expect(parseAddress(input)).toEqual({ ok: true, address: expected });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['no-at-sign.fi', 'syntax'],
    ['@example.fi', 'syntax'],
    ['a@', 'syntax'],
    ['a..b@example.fi', 'syntax'],
    ['.a@example.fi', 'syntax'],
    ['Name <a@example.fi>', 'syntax'],
    ['"quoted"@example.fi', 'syntax'],
    ['a b@example.fi', 'syntax'],
    ['a@example.fi\r\nBcc: victim@example.fi', 'syntax'],
    ['a@example.fi\r\n', 'domain'],
    ['a\r\n@example.fi', 'syntax'],
    ['a@localhost', 'domain'],
    ['a@[127.0.0.1]', 'domain'],
    ['a@-bad-.fi', 'domain'],
    ['a@example.123', 'domain'],
    ['a@exa mple.fi', 'domain'],
    [`${'a'.repeat(65)}@example.fi`, 'local-too-long'],
    [`a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.fi`, 'too-long'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem });
  });

  test('accepts exactly 64 characters of local part and 254 in all', () => {
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.fi`;
    const address = `${local}@${domain}`;
    expect(address).toHaveLength(254);
    expect(parseAddress(address)).toEqual({ ok: true, address });
    expect(parseAddress(`${address.slice(0, -2)}fin`)).toEqual({ ok: false, problem: 'too-long' });
  });

  test('never throws, and anything accepted is header-safe, short and stable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        const result = parseAddress(input);
        if (result.ok) {
          expect(result.address).not.toMatch(/[\s\p{Cc}<>,;:"]/u);
          expect(result.address.length).toBeLessThanOrEqual(254);
          expect(parseAddress(result.address)).toEqual(result);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
