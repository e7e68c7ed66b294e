import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, zoneOffset } from '../../src/shared/time-zone.js';

// Zones with DST both ways, half and quarter hours, half-hour DST (Lord Howe), and local mean
// times with seconds in the years releases may have (Helsinki +1:39:49 until 1921, Monrovia
// -0:44:30 until 1972).
const ZONES = [
  'Europe/Helsinki',
  'Europe/Stockholm',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Africa/Monrovia',
  'Etc/GMT+12',
  'UTC',
];

const FIRST = Date.UTC(1899, 11, 30);
const LAST = Date.UTC(2201, 0, 2);

describe('zoneOffset', () => {
  it.each(ZONES)('gives the offsets luxon gives in %s, 1900–2200', (zone) => {
    const luxon = IANAZone.create(zone);
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), (ms) => {
        expect(zoneOffset(zone, ms)).toBe(luxon.offset(ms));
      }),
      { numRuns: 400 },
    );
  });

  it('matches luxon on both sides of every DST change in Helsinki in 2025', () => {
    const luxon = IANAZone.create('Europe/Helsinki');
    for (const change of [Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1)]) {
      for (let ms = change - 7_200_000; ms <= change + 7_200_000; ms += 60_000 * 15 + 1) {
        expect(zoneOffset('Europe/Helsinki', ms)).toBe(luxon.offset(ms));
      }
    }
    expect(zoneOffset('Europe/Helsinki', Date.UTC(2025, 0, 1))).toBe(120);
    expect(zoneOffset('Europe/Helsinki', Date.UTC(2025, 6, 1))).toBe(180);
    expect(zoneOffset('Europe/Helsinki', Date.UTC(1910, 0, 1))).toBeCloseTo(99.8167, 3);
  });

  it.each(['', 'Europe/Nowhere', 'UTC+2', 'not a zone'])(
    'knows %j is not a zone, as luxon does',
    (zone) => {
      expect(isKnownTimeZone(zone)).toBe(false);
      expect(IANAZone.create(zone).isValid).toBe(false);
      expect(zoneOffset(zone, 0)).toBeNaN();
    },
  );

  it('accepts zone names in any case, as Intl and luxon do', () => {
    expect(isKnownTimeZone('europe/helsinki')).toBe(true);
    expect(zoneOffset('europe/helsinki', Date.UTC(2025, 0, 1))).toBe(120);
  });
});
