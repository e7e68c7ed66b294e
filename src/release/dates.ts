import { isKnownTimeZone, zoneOffset } from '../shared/time-zone.js';

/** The outcome of reading a date written by staff. */
export type DateParse = { ok: true; date: Date } | { ok: false; reason: string };

/** Years outside this range are typing mistakes, not real publication dates. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

const DATE_TIME = new RegExp(
  [
    '^(?:(?<isoYear>\\d{4})-(?<isoMonth>\\d{1,2})-(?<isoDay>\\d{1,2})',
    '|(?<day>\\d{1,2})\\.(?<month>\\d{1,2})\\.(?<year>\\d{4}))',
    '(?:(?:T|,? (?:(?:klo|kl\\.?|at) ?)?)',
    '(?<hour>\\d{1,2})[:.](?<minute>\\d{2})(?:[:.](?<second>\\d{2})(?:[.,](?<fraction>\\d{1,9}))?)?',
    ' ?(?<offset>Z|UTC|[+-]\\d{2}(?::?\\d{2})?)?)?$',
  ].join(''),
  'i',
);

const HOW_TO_WRITE = 'Write it like 2025-04-09 10:00 or 9.4.2025 klo 10.00.';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Reads a publication date as staff write it: ISO 8601 (`2020-04-09T18:33:00+03:00`,
 * `2020-04-09 18:33`, `2020-04-09`) or Finnish/Swedish style (`9.4.2020 18:33`, `9.4.2020 klo 18.33`,
 * `9.4.2020 kl. 18.33`, `9.4.2020`). A time without an offset is wall-clock time in `timeZone`;
 * a date without a time means 00:00 there. A wall-clock time that happens twice (the autumn DST
 * change) means the first of the two instants; one that never happens (the spring change) is
 * rejected, as are impossible dates and years outside 1900–2200.
 */
export function parseReleaseDate(input: string, timeZone: string): DateParse {
  const text = input.replace(/\s+/g, ' ').trim();
  const match = DATE_TIME.exec(text);
  const groups = match?.groups;
  if (groups === undefined) {
    return {
      ok: false,
      reason: `\`${shorten(text)}\` is not a date this system understands. ${HOW_TO_WRITE}`,
    };
  }
  const year = Number(groups.isoYear ?? groups.year);
  const month = Number(groups.isoMonth ?? groups.month);
  const day = Number(groups.isoDay ?? groups.day);
  const hasTime = groups.hour !== undefined;
  const hour = Number(groups.hour ?? 0);
  const minute = Number(groups.minute ?? 0);
  const second = Number(groups.second ?? 0);
  const millisecond = Number((groups.fraction ?? '0').padEnd(3, '0').slice(0, 3));

  if (year < MIN_YEAR || year > MAX_YEAR) {
    return {
      ok: false,
      reason: `\`${text}\`: the year ${year} is not plausible (use a year from ${MIN_YEAR} to ${MAX_YEAR}).`,
    };
  }
  if (month < 1 || month > 12) {
    return { ok: false, reason: `\`${text}\` is not a real date: there is no month ${month}.` };
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) {
    return {
      ok: false,
      reason: `\`${text}\` is not a real date: month ${month} of ${year} has ${daysInMonth} days.`,
    };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return {
      ok: false,
      reason: `\`${text}\` is not a real time of day: hours go from 0 to 23 and minutes from 0 to 59.`,
    };
  }

  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (groups.offset !== undefined) {
    const offset = parseOffset(groups.offset);
    if (offset === undefined) {
      return { ok: false, reason: `\`${text}\` has an impossible UTC offset. ${HOW_TO_WRITE}` };
    }
    return { ok: true, date: new Date(wallClock - offset * MINUTE_MS) };
  }

  if (!isKnownTimeZone(timeZone)) {
    return { ok: false, reason: `The site's time zone \`${timeZone}\` is not a known time zone.` };
  }
  const instant = zonedInstant(timeZone, wallClock);
  if (instant !== undefined) return { ok: true, date: new Date(instant) };
  if (!hasTime) {
    // Midnight skipped by a DST change: the day starts when the clocks jump.
    const offset = zoneOffset(timeZone, wallClock - DAY_MS);
    return { ok: true, date: new Date(wallClock - offset * MINUTE_MS) };
  }
  return {
    ok: false,
    reason: `\`${text}\` does not exist in ${timeZone}: the clocks jump forward over that time. Use a time after the change (an hour later) or add the UTC offset.`,
  };
}

/**
 * The earliest instant at which clocks in `timeZone` show `wallClock` (milliseconds of the wall-clock
 * time read as if it were UTC), or `undefined` when they never do (a DST gap).
 */
function zonedInstant(timeZone: string, wallClock: number): number | undefined {
  const offsets = new Set([
    zoneOffset(timeZone, wallClock - DAY_MS),
    zoneOffset(timeZone, wallClock),
    zoneOffset(timeZone, wallClock + DAY_MS),
  ]);
  let earliest: number | undefined;
  for (const offset of offsets) {
    const instant = wallClock - offset * MINUTE_MS;
    if (
      zoneOffset(timeZone, instant) === offset &&
      (earliest === undefined || instant < earliest)
    ) {
      earliest = instant;
    }
  }
  return earliest;
}

/** Minutes east of UTC, or `undefined` when the offset cannot exist. */
function parseOffset(text: string): number | undefined {
  const upper = text.toUpperCase();
  if (upper === 'Z' || upper === 'UTC') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
