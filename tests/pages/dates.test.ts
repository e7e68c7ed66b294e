import { describe, expect, it } from 'vitest';
import { formatDateTime, localYear, machineDateTime } from '../../src/pages/dates.js';
import { textDirection } from '../../src/pages/direction.js';
import { stringsFor, uiLang } from '../../src/pages/strings.js';
import { interpolate } from '../../src/shared/strings.js';

const ZONE = 'Europe/Helsinki';

describe('formatDateTime', () => {
  const summer = new Date('2020-04-09T15:33:00Z');

  it('writes Finnish, Swedish and English dates the way their readers do', () => {
    expect(formatDateTime(summer, 'fi', ZONE)).toBe('9.4.2020 klo 18.33');
    expect(formatDateTime(summer, 'sv', ZONE)).toBe('9.4.2020 kl. 18.33');
    expect(formatDateTime(summer, 'en', ZONE)).toBe('9 April 2020, 18:33');
  });

  it('follows the zone through daylight saving time', () => {
    const winter = new Date('2020-01-09T15:33:00Z');
    expect(formatDateTime(winter, 'fi', ZONE)).toBe('9.1.2020 klo 17.33');
    expect(formatDateTime(winter, 'en', 'America/New_York')).toBe('9 January 2020, 10:33');
  });

  it('pads minutes, and hours only in English', () => {
    const early = new Date('2021-03-01T05:05:00Z');
    expect(formatDateTime(early, 'fi', ZONE)).toBe('1.3.2021 klo 7.05');
    expect(formatDateTime(early, 'en', ZONE)).toBe('1 March 2021, 07:05');
  });

  it('falls back to English for languages without texts', () => {
    expect(formatDateTime(summer, 'de', ZONE)).toBe('9 April 2020, 18:33');
  });
});

describe('date helpers', () => {
  it('gives the local year', () => {
    expect(localYear(new Date('2020-12-31T21:59:00Z'), ZONE)).toBe(2020);
    expect(localYear(new Date('2020-12-31T22:00:00Z'), ZONE)).toBe(2021);
  });

  it('gives a machine-readable instant without needless milliseconds', () => {
    expect(machineDateTime(new Date('2020-04-09T15:33:00Z'))).toBe('2020-04-09T15:33:00Z');
    expect(machineDateTime(new Date('2020-04-09T15:33:00.250Z'))).toBe('2020-04-09T15:33:00.250Z');
  });
});

describe('languages', () => {
  it('picks UI texts for fi, sv and en, and English otherwise', () => {
    expect(uiLang('sv')).toBe('sv');
    expect(uiLang('ar')).toBe('en');
    expect(stringsFor('fi').submit).toBe('Tilaa');
    expect(interpolate(stringsFor('ru').archiveTitle, { year: '2020' })).toBe('Releases from 2020');
  });

  it('knows right-to-left scripts', () => {
    expect(['ar', 'he', 'fa', 'fi', 'sv', 'not a tag!'].map(textDirection)).toEqual([
      'rtl',
      'rtl',
      'rtl',
      'ltr',
      'ltr',
      'ltr',
    ]);
  });
});
