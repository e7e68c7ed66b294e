import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateTime, localYear } from '../../src/pages/dates.js';

// The zones furthest from UTC either way, one with DST, and one with a half-hour offset.
const ZONES = ['Pacific/Kiritimati', 'Etc/GMT+12', 'Pacific/Pago_Pago', 'Europe/Helsinki', 'UTC'];
const DAY_MS = 86_400_000;

describe('localYear', () => {
  it('is the year of the local date and time, also in the days around New Year', () => {
    const nearNewYear = fc
      .tuple(
        fc.integer({ min: 1000, max: 9998 }),
        fc.integer({ min: -4 * DAY_MS, max: 4 * DAY_MS }),
      )
      .map(([year, offset]) => new Date(Date.UTC(year, 0, 1) + offset));
    const anyTime = fc
      .integer({ min: Date.UTC(1000, 0, 5), max: Date.UTC(9999, 11, 25) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(fc.oneof(nearNewYear, anyTime), fc.constantFrom(...ZONES), (date, zone) => {
        expect(localYear(date, zone)).toBe(localDateTime(date, zone).year);
      }),
      { numRuns: 2_000 },
    );
  });

  it('puts a release published on New Year’s Eve evening UTC in the next year in Helsinki', () => {
    expect(localYear(new Date('2024-12-31T22:30:00Z'), 'Europe/Helsinki')).toBe(2025);
    expect(localYear(new Date('2024-12-31T21:30:00Z'), 'Europe/Helsinki')).toBe(2024);
  });

  it('rejects an unknown time zone whatever the date', () => {
    expect(() => localYear(new Date('2024-06-15T12:00:00Z'), 'Europe/Nowhere')).toThrow(RangeError);
    expect(() => localYear(new Date('2024-12-31T23:00:00Z'), 'Europe/Nowhere')).toThrow(RangeError);
  });
});
