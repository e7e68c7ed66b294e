import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, digestWindow } from '../../src/digest/schedule.js';

const HOUR = 3600_000;

describe('digestWindow', () => {
  it('covers (yesterday 08:00, today 08:00] Helsinki time for a daily run at 08:00', () => {
    const window = digestWindow('daily', new Date('2026-11-28T06:00:00Z'));
    expect(window).toEqual({
      frequency: 'daily',
      since: new Date('2026-11-27T06:00:00Z'),
      until: new Date('2026-11-28T06:00:00Z'),
      runId: 'daily-2026-11-28',
    });
  });

  it('keeps the slot of a late or repeated run, and takes the previous slot before 08:00', () => {
    expect(digestWindow('daily', new Date('2026-11-28T09:59:00Z')).runId).toBe('daily-2026-11-28');
    expect(digestWindow('daily', new Date('2026-11-28T05:59:59Z')).runId).toBe('daily-2026-11-27');
    // 23:30 UTC is 01:30 the next day in Helsinki: before that day's 08:00 slot.
    expect(digestWindow('daily', new Date('2026-11-28T23:30:00Z')).runId).toBe('daily-2026-11-28');
    expect(digestWindow('daily', new Date('2026-11-29T06:00:00Z')).runId).toBe('daily-2026-11-29');
  });

  it('is 23 hours long over the last Sunday of March (clocks go forward at 03:00)', () => {
    const window = digestWindow('daily', new Date('2026-03-29T05:00:00Z'));
    expect(window.runId).toBe('daily-2026-03-29');
    expect(window.since).toEqual(new Date('2026-03-28T06:00:00Z')); // 08:00 EET
    expect(window.until).toEqual(new Date('2026-03-29T05:00:00Z')); // 08:00 EEST
    expect(window.until.getTime() - window.since.getTime()).toBe(23 * HOUR);
    // At 05:30Z on that day it is already past 08:00 local: still the same slot.
    expect(digestWindow('daily', new Date('2026-03-29T05:30:00Z')).runId).toBe('daily-2026-03-29');
  });

  it('is 25 hours long over the last Sunday of October (clocks go back at 04:00)', () => {
    const window = digestWindow('daily', new Date('2026-10-25T06:00:00Z'));
    expect(window.runId).toBe('daily-2026-10-25');
    expect(window.since).toEqual(new Date('2026-10-24T05:00:00Z')); // 08:00 EEST
    expect(window.until).toEqual(new Date('2026-10-25T06:00:00Z')); // 08:00 EET
    expect(window.until.getTime() - window.since.getTime()).toBe(25 * HOUR);
    // 05:30Z is 07:30 EET: the previous day's slot.
    expect(digestWindow('daily', new Date('2026-10-25T05:30:00Z')).runId).toBe('daily-2026-10-24');
  });

  it('runs weekly from Monday 08:00 to Monday 08:00, across the March change', () => {
    const window = digestWindow('weekly', new Date('2026-03-30T07:00:00Z'));
    expect(window).toEqual({
      frequency: 'weekly',
      since: new Date('2026-03-23T06:00:00Z'),
      until: new Date('2026-03-30T05:00:00Z'),
      runId: 'weekly-2026-03-30',
    });
    // Sunday evening still belongs to the week that started the Monday before.
    expect(digestWindow('weekly', new Date('2026-03-29T20:00:00Z')).runId).toBe(
      'weekly-2026-03-23',
    );
  });

  it('runs weekly across the October change', () => {
    const window = digestWindow('weekly', new Date('2026-10-26T06:00:00Z'));
    expect(window.since).toEqual(new Date('2026-10-19T05:00:00Z'));
    expect(window.until).toEqual(new Date('2026-10-26T06:00:00Z'));
    expect(window.until.getTime() - window.since.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });

  it('tiles time: every instant is in exactly the window of the run after it', () => {
    const instants = fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        instants,
        fc.constantFrom('daily' as const, 'weekly' as const),
        (at, frequency) => {
          const window = digestWindow(frequency, at);
          expect(window.until.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(window.since.getTime()).toBeLessThan(window.until.getTime());
          // The run just before this slot ends exactly where this one starts.
          const before = digestWindow(frequency, new Date(window.until.getTime() - 1));
          expect(before.until).toEqual(window.since);
          // The slot is 08:00 in Helsinki, whatever the offset.
          const local = new Intl.DateTimeFormat('en-GB', {
            timeZone: DEFAULT_SCHEDULE.timeZone,
            hour: '2-digit',
            minute: '2-digit',
            weekday: 'short',
          }).format(window.until);
          expect(local).toMatch(frequency === 'daily' ? /08:00$/ : /^Mon.*08:00$/);
        },
      ),
    );
  });
});
