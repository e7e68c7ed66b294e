import fc from 'fast-check';
// luxon is a devDependency only: the oracle these readings are checked against, not shipped code.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatLocal, instantAt, wallClockOf } from '../../src/shared/local-time.js';

const ZONES = ['Europe/Helsinki', 'Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe'];
const instants = fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('wallClockOf', () => {
  it.each(ZONES)('reads the wall clock luxon reads in %s', (zone) => {
    fc.assert(
      fc.property(instants, (ms) => {
        const luxon = DateTime.fromMillis(ms, { zone });
        expect(wallClockOf(new Date(ms), zone)).toEqual({
          year: luxon.year,
          month: luxon.month,
          day: luxon.day,
          hour: luxon.hour,
          minute: luxon.minute,
          weekday: luxon.weekday,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('names the zone it does not know', () => {
    expect(() => wallClockOf(new Date(0), 'Mars/Olympus')).toThrow('Mars/Olympus');
  });
});

describe('instantAt', () => {
  it.each(ZONES)('finds the instant luxon finds for a wall-clock time in %s', (zone) => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 23 }), (ms, hour) => {
        const day = DateTime.fromMillis(ms, { zone }).set({
          hour,
          minute: 0,
          second: 0,
          millisecond: 0,
        });
        const wall = { year: day.year, month: day.month, day: day.day, hour, minute: 0 };
        // When clocks go back a wall time happens twice, and luxon's `set` keeps whichever offset
        // the day started from; our rule is the earlier instant. Where it happens once (or never,
        // in a gap, where both move forward), it is luxon's answer.
        const twice = [-3_600_000, -1_800_000, 0, 1_800_000, 3_600_000]
          .map((shift) => day.toMillis() + shift)
          .filter((t) => {
            const seen = DateTime.fromMillis(t, { zone });
            return seen.day === wall.day && seen.hour === hour && seen.minute === 0;
          });
        const expected = twice.length > 0 ? Math.min(...twice) : day.toMillis();
        expect(instantAt(zone, wall).getTime()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the earlier 03:30 when Helsinki clocks go back, the later hour when they jump', () => {
    const wall = { year: 2026, month: 10, day: 25, hour: 3, minute: 30 };
    expect(instantAt('Europe/Helsinki', wall)).toEqual(new Date('2026-10-25T00:30:00Z'));
    const gap = { year: 2026, month: 3, day: 29, hour: 3, minute: 30 };
    expect(instantAt('Europe/Helsinki', gap)).toEqual(new Date('2026-03-29T01:30:00Z'));
  });
});

describe('formatLocal', () => {
  const patterns = [
    "d.M.yyyy 'klo' H.mm",
    "d.M. 'kl.' HH.mm",
    'd MMMM yyyy, HH:mm',
    "d MMMM 'at' HH:mm",
    'dd.MM.yyyy',
  ];
  it.each(['fi', 'sv', 'en'])('writes the catalogue patterns as luxon does in %s', (lang) => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...patterns), (ms, pattern) => {
        const luxon = DateTime.fromMillis(ms, { zone: 'Europe/Helsinki' }).setLocale(lang);
        expect(formatLocal(new Date(ms), pattern, lang, 'Europe/Helsinki')).toBe(
          luxon.toFormat(pattern),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('writes a Finnish date and time as people read it', () => {
    const date = new Date('2020-04-09T15:33:00Z');
    expect(formatLocal(date, "d.M.yyyy 'klo' H.mm", 'fi', 'Europe/Helsinki')).toBe(
      '9.4.2020 klo 18.33',
    );
    expect(formatLocal(date, 'd MMMM yyyy', 'en', 'Europe/Helsinki')).toBe('9 April 2020');
  });
});
