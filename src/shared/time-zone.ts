/**
 * UTC offsets of IANA time zones from the platform's own time zone data (Intl), the way luxon's
 * IANAZone computes them, without bundling a date library into every function that parses releases.
 */

// Building a formatter is the expensive part: one per zone for the whole process. `null` marks a
// zone Intl does not know.
const readers = new Map<string, Intl.DateTimeFormat | null>();
const EN_US_NUMERIC = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;
const MINUTE_MS = 60_000;

/** Whether `timeZone` is an IANA zone this runtime knows, e.g. `Europe/Helsinki`. */
export function isKnownTimeZone(timeZone: string): boolean {
  return reader(timeZone) !== null;
}

/**
 * Minutes east of UTC in `timeZone` at the instant `ms` (fractional for the local mean times of
 * old dates, e.g. Helsinki's +1:39:49 until 1921); `NaN` for an unknown zone or invalid instant.
 */
export function zoneOffset(timeZone: string, ms: number): number {
  const format = reader(timeZone);
  if (format === null || !Number.isFinite(ms)) return Number.NaN;
  const date = new Date(ms);
  const [year, month, day, hour, minute, second] = wallClock(format, date);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // The wall clock is read to the second, so compare it with the instant floored to the second.
  const flooredMs = ms - (((ms % 1000) + 1000) % 1000);
  return (wallMs - flooredMs) / MINUTE_MS;
}

function reader(timeZone: string): Intl.DateTimeFormat | null {
  let format = readers.get(timeZone);
  if (format === undefined) {
    try {
      format =
        timeZone === ''
          ? null
          : new Intl.DateTimeFormat('en-US', {
              timeZone,
              hourCycle: 'h23',
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              second: 'numeric',
            });
    } catch {
      format = null; // RangeError: not a time zone Intl knows
    }
    readers.set(timeZone, format);
  }
  return format;
}

type WallClock = [year: number, month: number, day: number, hour: number, min: number, sec: number];

/** Year, month, day, hour, minute and second the clocks in the formatter's zone show. */
function wallClock(format: Intl.DateTimeFormat, date: Date): WallClock {
  const match = EN_US_NUMERIC.exec(format.format(date));
  if (match !== null) {
    const [, month, day, year, hour, minute, second] = match.map(Number);
    return [year ?? 0, month ?? 0, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0];
  }
  // Should the short form ever read differently, take the parts one by one.
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = Number(part.value);
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return [year, month, day, hour, minute, second];
}
