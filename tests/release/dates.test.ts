import { describe, expect, it } from 'vitest';
import { parseReleaseDate } from '../../src/release/dates.js';

const HELSINKI = 'Europe/Helsinki';

function iso(input: string, zone = HELSINKI): string {
  const result = parseReleaseDate(input, zone);
  if (!result.ok) throw new Error(`expected a date for ${input}: ${result.reason}`);
  return result.date.toISOString();
}

function reason(input: string, zone = HELSINKI): string {
  const result = parseReleaseDate(input, zone);
  if (result.ok)
    throw new Error(`expected ${input} to be rejected, got ${result.date.toISOString()}`);
  return result.reason;
}

describe('parseReleaseDate', () => {
  it.each([
    ['2020-04-09T18:33:00+03:00', '2020-04-09T15:33:00.000Z'],
    ['2020-04-09T18:33:00.250+0300', '2020-04-09T15:33:00.250Z'],
    ['2020-04-09T15:33:00Z', '2020-04-09T15:33:00.000Z'],
    ['2020-04-09T18:33', '2020-04-09T15:33:00.000Z'],
    ['2020-04-09 18:33', '2020-04-09T15:33:00.000Z'],
    ['2020-04-09 18:33:20', '2020-04-09T15:33:20.000Z'],
    ['9.4.2020 18:33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020 18.33', '2020-04-09T15:33:00.000Z'],
    ['09.04.2020 18:33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020 klo 18.33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020 KLO 18.33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020, klo 18.33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020 kl. 18.33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020 kl 18.33', '2020-04-09T15:33:00.000Z'],
    ['9.4.2020\u00a0klo\u00a018.33', '2020-04-09T15:33:00.000Z'],
    ['  9.4.2020   18:33  ', '2020-04-09T15:33:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('reads winter times with the winter offset (UTC+2)', () => {
    expect(iso('15.1.2021 12:00')).toBe('2021-01-15T10:00:00.000Z');
    expect(iso('2021-01-15 12:00')).toBe('2021-01-15T10:00:00.000Z');
  });

  it('takes a date without a time as 00:00 local time', () => {
    expect(iso('9.4.2020')).toBe('2020-04-08T21:00:00.000Z');
    expect(iso('2020-04-09')).toBe('2020-04-08T21:00:00.000Z');
    expect(iso('15.1.2021')).toBe('2021-01-14T22:00:00.000Z');
  });

  it('uses the given time zone for times without an offset', () => {
    expect(iso('9.4.2020 18:33', 'UTC')).toBe('2020-04-09T18:33:00.000Z');
    expect(iso('9.4.2020 18:33', 'America/New_York')).toBe('2020-04-09T22:33:00.000Z');
  });

  it('keeps an explicit offset whatever the time zone', () => {
    expect(iso('2020-04-09T18:33:00+03:00', 'America/New_York')).toBe('2020-04-09T15:33:00.000Z');
  });

  describe('spring DST change in Helsinki (29.3.2026: 03:00 → 04:00)', () => {
    it('reads the times either side of the gap', () => {
      expect(iso('29.3.2026 02:59')).toBe('2026-03-29T00:59:00.000Z');
      expect(iso('29.3.2026 04:00')).toBe('2026-03-29T01:00:00.000Z');
    });

    it('rejects a time inside the gap, saying why', () => {
      expect(reason('29.3.2026 03:30')).toContain('does not exist in Europe/Helsinki');
      expect(reason('2026-03-29 03:00')).toContain('does not exist');
    });

    it('reads a time in the gap that has an explicit offset', () => {
      expect(iso('2026-03-29T03:30:00+02:00')).toBe('2026-03-29T01:30:00.000Z');
    });
  });

  describe('autumn DST change in Helsinki (25.10.2026: 04:00 → 03:00)', () => {
    it('resolves a time that happens twice to the first (summer time) instant', () => {
      expect(iso('25.10.2026 03:30')).toBe('2026-10-25T00:30:00.000Z');
      expect(iso('2026-10-25 03:00')).toBe('2026-10-25T00:00:00.000Z');
    });

    it('reads the times either side of the repeated hour', () => {
      expect(iso('25.10.2026 02:59')).toBe('2026-10-24T23:59:00.000Z');
      expect(iso('25.10.2026 04:00')).toBe('2026-10-25T02:00:00.000Z');
    });

    it('reaches the second instant with an explicit offset', () => {
      expect(iso('2026-10-25T03:30:00+02:00')).toBe('2026-10-25T01:30:00.000Z');
    });
  });

  it('starts a date-only day at the first instant when midnight is skipped', () => {
    // Havana skips 00:00–01:00 on its spring change (8.3.2026).
    expect(iso('2026-03-08', 'America/Havana')).toBe('2026-03-08T05:00:00.000Z');
  });

  it.each([
    ['31.2.2021', 'is not a real date'],
    ['29.2.2021 10:00', 'month 2 of 2021 has 28 days'],
    ['2021-02-29', 'is not a real date'],
    ['31.4.2025', 'has 30 days'],
    ['1.13.2025', 'no month 13'],
    ['0.1.2025', 'is not a real date'],
    ['1.1.2025 25:00', 'is not a real time of day'],
    ['1.1.2025 24:00', 'is not a real time of day'],
    ['1.1.2025 12:60', 'is not a real time of day'],
    ['2025-01-01T12:00:00+15:00', 'impossible UTC offset'],
  ])('rejects the impossible %s', (input, expected) => {
    expect(reason(input)).toContain(expected);
  });

  it('accepts 29 February in a leap year', () => {
    expect(iso('29.2.2024 12:00')).toBe('2024-02-29T10:00:00.000Z');
  });

  it.each(['1.1.1899', '1899-12-31', '1.1.2201'])('rejects the implausible year in %s', (input) => {
    expect(reason(input)).toContain('not plausible');
  });

  it('accepts a far-future embargo date within range', () => {
    expect(iso('1.1.2199 00:00')).toBe('2198-12-31T22:00:00.000Z');
    expect(iso('1.1.1900')).toMatch(/^1899-12-31T2/);
  });

  it.each(['', 'eilen', '9.4.20', '2020/04/09', '9.4.2020 klo', 'April 9, 2020', '18:33'])(
    'rejects the unreadable %j with an example of what works',
    (input) => {
      expect(reason(input)).toContain('Write it like 2025-04-09 10:00');
    },
  );

  it('rejects an unknown time zone clearly', () => {
    expect(reason('9.4.2020 18:33', 'Europe/Atlantis')).toContain('not a known time zone');
  });
});
