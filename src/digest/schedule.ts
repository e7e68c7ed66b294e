import { instantAt, wallClockOf } from '../shared/local-time.js';
import type { DigestFrequency } from './types.js';

/** When the digests go out, in local time of `timeZone`. */
export interface DigestSchedule {
  timeZone: string;
  daily: { hour: number; minute: number };
  /** `weekday`: 1 = Monday … 7 = Sunday (ISO). */
  weekly: { weekday: number; hour: number; minute: number };
}

/** Daily at 08:00 and weekly on Monday at 08:00, Helsinki time. */
export const DEFAULT_SCHEDULE: DigestSchedule = {
  timeZone: 'Europe/Helsinki',
  daily: { hour: 8, minute: 0 },
  weekly: { weekday: 1, hour: 8, minute: 0 },
};

/** What one digest run covers: releases that became public in `(since, until]`. */
export interface DigestWindow {
  frequency: DigestFrequency;
  since: Date;
  until: Date;
  /** Deterministic: the frequency and the local date of `until`, e.g. `daily-2026-11-28`. */
  runId: string;
}

/**
 * The window of the digest run at instant `at`: from the previous scheduled slot (exclusive) to the
 * latest slot at or before `at` (inclusive). Slots are wall-clock times in the schedule's zone, so a
 * daily window is 23 or 25 hours long across a DST change and the mail still leaves at 08:00.
 * A late or repeated invocation maps to the same slot and so to the same run id.
 */
export function digestWindow(
  frequency: DigestFrequency,
  at: Date,
  schedule: DigestSchedule = DEFAULT_SCHEDULE,
): DigestWindow {
  const zone = schedule.timeZone;
  const local = wallClockOf(at, zone);
  const time = frequency === 'daily' ? schedule.daily : schedule.weekly;
  // Setting the wall-clock time on a calendar day (not adding hours) is what keeps DST right.
  const back = frequency === 'daily' ? 0 : (local.weekday - schedule.weekly.weekday + 7) % 7;
  const period = frequency === 'daily' ? 1 : 7;
  let slotDay = { year: local.year, month: local.month, day: local.day - back };
  if (instantAt(zone, { ...slotDay, ...time }) > at) slotDay = shift(slotDay, -period);
  const until = instantAt(zone, { ...slotDay, ...time });
  const since = instantAt(zone, { ...shift(slotDay, -period), ...time });
  const date = new Date(Date.UTC(slotDay.year, slotDay.month - 1, slotDay.day));
  return { frequency, since, until, runId: `${frequency}-${date.toISOString().slice(0, 10)}` };
}

type CalendarDay = { year: number; month: number; day: number };

function shift(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Parses `HH:MM` (24-hour clock) for configuration. */
export function parseClockTime(value: string): { hour: number; minute: number } | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}
