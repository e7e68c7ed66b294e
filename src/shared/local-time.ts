/**
 * Wall-clock readings, wall-clock arithmetic and format patterns in an IANA time zone, on the
 * platform's own time zone data (src/shared/time-zone.ts): the one date library of the code base.
 */
import { zoneOffset } from './time-zone.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What the clocks in some zone show at an instant. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
}

/** The wall clock of `date` in `timeZone`; throws a RangeError for a zone the runtime does not know. */
export function wallClockOf(date: Date, timeZone: string): WallClock {
  const offset = zoneOffset(timeZone, date.getTime());
  if (Number.isNaN(offset)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const local = new Date(date.getTime() + offset * MINUTE_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

/**
 * The instant the clocks in `timeZone` show `year-month-day hour:minute` (the earlier one when the
 * clocks go back; a time skipped when they go forward moves forward by the jump, as luxon does).
 * Days outside the month roll over (`day: 0` is the last day of the month before).
 */
export function instantAt(
  timeZone: string,
  wall: Pick<WallClock, 'year' | 'month' | 'day' | 'hour' | 'minute'>,
): Date {
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = zoneOffset(timeZone, wallMs - DAY_MS);
  const after = zoneOffset(timeZone, wallMs + DAY_MS);
  if (Number.isNaN(before)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const candidates = [before, after]
    .filter((offset) => zoneOffset(timeZone, wallMs - offset * MINUTE_MS) === offset)
    .map((offset) => wallMs - offset * MINUTE_MS);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In a gap: read the wall time with the offset before the jump, which lands after it.
  return new Date(wallMs - before * MINUTE_MS);
}

// Intl builds month names once per language: building a formatter is the expensive part.
const monthNames = new Map<string, string[]>();

function monthName(lang: string, month: number): string {
  let names = monthNames.get(lang);
  if (names === undefined) {
    // With the day, as a date is written: Finnish "huhtikuuta", not the standalone "huhtikuu".
    const format = new Intl.DateTimeFormat(lang, {
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    });
    names = Array.from({ length: 12 }, (_, index) => {
      const parts = format.formatToParts(Date.UTC(2000, index, 15));
      return parts.find((part) => part.type === 'month')?.value ?? String(index + 1);
    });
    monthNames.set(lang, names);
  }
  return names[month - 1] ?? String(month);
}

const TOKEN = /'([^']*)'|yyyy|MMMM|MM|M|dd|d|HH|H|mm/g;

/**
 * `date` in `timeZone` written with a pattern of the catalogues' tokens (the luxon subset they
 * use): `yyyy`, `M`/`MM`, `MMMM` (month name in `lang`), `d`/`dd`, `H`/`HH`, `mm`, and `'literal'`
 * text; any other character is copied as it is. `d.M.yyyy 'klo' H.mm` → `9.4.2020 klo 18.33`.
 */
export function formatLocal(date: Date, pattern: string, lang: string, timeZone: string): string {
  const wall = wallClockOf(date, timeZone);
  const two = (value: number) => String(value).padStart(2, '0');
  return pattern.replace(TOKEN, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'yyyy':
        return String(wall.year).padStart(4, '0');
      case 'MMMM':
        return monthName(lang, wall.month);
      case 'MM':
        return two(wall.month);
      case 'M':
        return String(wall.month);
      case 'dd':
        return two(wall.day);
      case 'd':
        return String(wall.day);
      case 'HH':
        return two(wall.hour);
      case 'H':
        return String(wall.hour);
      default:
        return two(wall.minute);
    }
  });
}
