import { DateTime } from 'luxon';
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
  const local = DateTime.fromJSDate(at, { zone: schedule.timeZone });
  const slot = frequency === 'daily' ? dailySlot(local, schedule) : weeklySlot(local, schedule);
  const previous =
    frequency === 'daily'
      ? atTime(slot.minus({ days: 1 }), schedule.daily)
      : atTime(slot.minus({ weeks: 1 }), schedule.weekly);
  return {
    frequency,
    since: previous.toJSDate(),
    until: slot.toJSDate(),
    runId: `${frequency}-${slot.toISODate()}`,
  };
}

function atTime(day: DateTime, time: { hour: number; minute: number }): DateTime {
  // Setting the wall-clock time on the calendar day (not adding hours) is what keeps DST right.
  return day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
}

function dailySlot(local: DateTime, schedule: DigestSchedule): DateTime {
  const today = atTime(local, schedule.daily);
  return today <= local ? today : atTime(local.minus({ days: 1 }), schedule.daily);
}

function weeklySlot(local: DateTime, schedule: DigestSchedule): DateTime {
  const back = (local.weekday - schedule.weekly.weekday + 7) % 7;
  const slot = atTime(local.minus({ days: back }), schedule.weekly);
  return slot <= local ? slot : atTime(slot.minus({ weeks: 1 }), schedule.weekly);
}

/** Parses `HH:MM` (24-hour clock) for configuration. */
export function parseClockTime(value: string): { hour: number; minute: number } | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}
