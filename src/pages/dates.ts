import { uiLang } from './strings.js';

/** A wall-clock reading of an instant in some time zone. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// Intl.DateTimeFormat is built once per zone: building it is the expensive part. `format` and a
// regular expression take ~3 µs a date, formatToParts ~8 µs and luxon ~40 µs: it adds up over the
// 20,000 dates of a full build.
const readers = new Map<string, Intl.DateTimeFormat>();
// A release's date is shown on its page and in its archive list: remember the last readings.
const recent = new Map<string, LocalDateTime>();
const RECENT_LIMIT = 50_000;
const DAY_MS = 86_400_000;
const EN_US_NUMERIC = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/;

/** The wall-clock date and time of `date` in the IANA zone `timeZone`. */
export function localDateTime(date: Date, timeZone: string): LocalDateTime {
  const key = `${date.getTime()} ${timeZone}`;
  let local = recent.get(key);
  if (local === undefined) {
    if (recent.size >= RECENT_LIMIT) recent.clear();
    local = readLocalDateTime(date, timeZone);
    recent.set(key, local);
  }
  return local;
}

function readerFor(timeZone: string): Intl.DateTimeFormat {
  let reader = readers.get(timeZone);
  if (reader === undefined) {
    reader = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    readers.set(timeZone, reader);
  }
  return reader;
}

function readLocalDateTime(date: Date, timeZone: string): LocalDateTime {
  const reader = readerFor(timeZone);
  const match = EN_US_NUMERIC.exec(reader.format(date));
  if (match !== null) {
    const [, month, day, year, hour, minute] = match.map(Number) as number[];
    return { year, month, day, hour, minute } as LocalDateTime;
  }
  // Dates the short form cannot show (e.g. before year 1): read the parts one by one.
  const local: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of reader.formatToParts(date)) {
    if (part.type in local) local[part.type as keyof LocalDateTime] = Number(part.value);
  }
  return local;
}

/** The calendar year of `date` in `timeZone`: the archive page a release is listed on. */
export function localYear(date: Date, timeZone: string): number {
  // No zone's clocks are a day or more from UTC, so away from New Year the UTC year is the local
  // one: a full build asks for the year of every release several times.
  const year = date.getUTCFullYear();
  if (year >= 1000 && year <= 9999) {
    const ms = date.getTime();
    if (ms - Date.UTC(year, 0, 1) > 2 * DAY_MS && Date.UTC(year + 1, 0, 1) - ms > 2 * DAY_MS) {
      readerFor(timeZone); // an unknown zone still throws, whatever the date
      return year;
    }
  }
  return localDateTime(date, timeZone).year;
}

/**
 * `date` as people read it in `timeZone`: `9.4.2020 klo 18.33` (fi), `9.4.2020 kl. 18.33` (sv),
 * `9 April 2020, 18:33` (en, and every language we have no texts for).
 */
export function formatDateTime(date: Date, lang: string, timeZone: string): string {
  const { year, month, day, hour, minute } = localDateTime(date, timeZone);
  const mm = String(minute).padStart(2, '0');
  switch (uiLang(lang)) {
    case 'fi':
      return `${day}.${month}.${year} klo ${hour}.${mm}`;
    case 'sv':
      return `${day}.${month}.${year} kl. ${hour}.${mm}`;
    case 'en':
      return `${day} ${ENGLISH_MONTHS[month - 1]} ${year}, ${String(hour).padStart(2, '0')}:${mm}`;
  }
}

/** The instant for a `<time datetime>` attribute: UTC, to the second when that is exact. */
export function machineDateTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
