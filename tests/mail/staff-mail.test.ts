import { describe, expect, it } from 'vitest';
import {
  localTime,
  outcomeMail,
  rejectionMail,
  type StaffMailContext,
} from '../../src/mail/staff-mail.js';
import type { ReleaseRejectedNotice, StaffOutcomeNotice } from '../../src/pipeline/notifier.js';
import { rejectionReport } from '../../src/pipeline/reports.js';

const CONTEXT: StaffMailContext = {
  lang: 'fi',
  timeZone: 'Europe/Helsinki',
  siteTitle: 'Esimerkkilä',
  notifyMaxAgeMs: 48 * 3_600_000,
  now: new Date('2026-05-10T08:00:00Z'),
};

function rejected(stillPublished: boolean): ReleaseRejectedNotice {
  return {
    type: 'release-rejected',
    to: 'viestinta@example.fi',
    report: rejectionReport(
      'releases/kevät/Uimahalli avautuu.md',
      {
        path: 'kevät/Uimahalli avautuu.md',
        line: 3,
        field: 'date',
        message: '`date`: 31.2.2026 is not a date (February has 28 days in 2026).',
      },
      new Date('2026-05-10T06:05:00Z'),
      'etag-1',
      stillPublished,
    ),
  };
}

function outcome(fields: Partial<StaffOutcomeNotice>): StaffOutcomeNotice {
  return {
    type: 'staff-outcome',
    to: 'viestinta@example.fi',
    outcome: 'published',
    sourcePath: 'kevät/Uimahalli avautuu.md',
    title: 'Uimahalli <avautuu> & kutsuu',
    url: 'https://tiedotteet.example.fi/releases/kevat-uimahalli-avautuu.html',
    published: '2026-05-14T06:00:00.000Z',
    warnings: [],
    silent: false,
    ...fields,
  };
}

describe('rejectionMail', () => {
  it('says once, in Finnish and local time, which file failed at which line and what to do', () => {
    const mail = rejectionMail(rejected(false), CONTEXT);
    expect(mail.subject).toBe('Tiedotetta ei julkaistu: kevät/Uimahalli avautuu.md');
    expect(mail.text).toBe(
      [
        'Tiedostoa kevät/Uimahalli avautuu.md ei julkaistu, koska siinä on virhe:',
        '',
        'Rivi 3: ”date”: 31.2.2026 is not a date (February has 28 days in 2026).',
        '',
        'Mitään ei julkaistu. Korjaa tiedosto ja lataa se uudelleen samalla nimellä. Saat vahvistuksen, kun korjattu versio on julkaistu.',
        '',
        // 06.05 UTC is 09.05 in Helsinki in May.
        'Ladattu 10.5. klo 9.05.',
        '',
        '--',
        'Tämä on automaattinen viesti sivuston Esimerkkilä julkaisupalvelusta.',
        '',
      ].join('\n'),
    );
    expect(mail.text.match(/31\.2\.2026/g)).toHaveLength(1);
    for (const leak of ['releases/', 'reports/', '.json', '{', '`']) {
      expect(mail.text).not.toContain(leak);
    }
    expect(mail.html).toContain('Rivi 3: <code>date</code>: 31.2.2026');
  });

  it('says the earlier version stays online when one does, in Swedish when STAFF_LANG=sv', () => {
    const mail = rejectionMail(rejected(true), { ...CONTEXT, lang: 'sv' });
    expect(mail.subject).toBe('Pressmeddelandet publicerades inte: kevät/Uimahalli avautuu.md');
    expect(mail.text).toContain('Den tidigare publicerade versionen finns kvar på webbplatsen.');
    expect(mail.text).toContain('Uppladdad 10.5. kl. 09.05.');
  });
});

describe('outcomeMail', () => {
  it('confirms a publication with the public address, escaping the title in HTML', () => {
    const mail = outcomeMail(outcome({}), CONTEXT);
    expect(mail.subject).toBe('Julkaistu: Uimahalli <avautuu> & kutsuu');
    expect(mail.text).toContain(
      'Tiedote ”Uimahalli <avautuu> & kutsuu” on julkaistu: https://tiedotteet.example.fi/releases/kevat-uimahalli-avautuu.html',
    );
    expect(mail.text).toContain('Tilaajat saavat siitä sähköpostin tilauksensa mukaan.');
    expect(mail.html).toContain('<strong>Uimahalli &lt;avautuu&gt; &amp; kutsuu</strong>');
    expect(mail.html).toContain(
      '<a href="https://tiedotteet.example.fi/releases/kevat-uimahalli-avautuu.html">',
    );
    expect(mail.html).not.toContain('<avautuu>');
  });

  it('gives a scheduled release its local publication time, without the year this year', () => {
    const mail = outcomeMail(outcome({ outcome: 'scheduled' }), CONTEXT);
    expect(mail.subject).toBe('Ajastettu 14.5. klo 9.00: Uimahalli <avautuu> & kutsuu');
    expect(mail.text).toContain('julkaistaan 14.5. klo 9.00 osoitteessa https://');
    const nextYear = outcomeMail(
      outcome({ outcome: 'scheduled', published: '2027-01-02T10:30:00Z' }),
      { ...CONTEXT, lang: 'en' },
    );
    expect(nextYear.subject).toBe(
      'Scheduled for 2 January 2027 at 12:30: Uimahalli <avautuu> & kutsuu',
    );
  });

  it('tells staff an archive import was not mailed to subscribers', () => {
    const mail = outcomeMail(outcome({ silent: true, published: '2019-03-01T08:00:00Z' }), {
      ...CONTEXT,
      lang: 'en',
    });
    expect(mail.text).toContain(
      'It was not mailed to subscribers because it is an archive import: its date 1 March 2019 at 10:00 is more than 48 hours before its publication.',
    );
    expect(mail.text).not.toContain('Subscribers get it by email');
  });

  it.each([
    ['updated', 'Päivitetty: ', 'Muokkauksesta ei lähetetä tilaajille uutta sähköpostia.'],
    [
      'fixed',
      'Korjattu ja julkaistu: ',
      'Tiedoston kevät/Uimahalli avautuu.md korjattu versio hyväksyttiin',
    ],
    ['withdrawn', 'Poistettu sivustolta: ', 'Tiedosto kevät/Uimahalli avautuu.md poistettiin'],
  ] as const)('writes the %s confirmation', (kind, subject, sentence) => {
    const mail = outcomeMail(outcome({ outcome: kind }), CONTEXT);
    expect(mail.subject.startsWith(subject)).toBe(true);
    expect(mail.text).toContain(sentence);
  });

  it('lists warnings with their lines, without Markdown', () => {
    const mail = outcomeMail(
      outcome({
        warnings: [
          {
            path: 'kevät/Uimahalli avautuu.md',
            line: 4,
            field: 'sumary',
            message:
              '`sumary` is not a field this system reads, so it was ignored. Did you mean `summary`? Write `summary:`.',
          },
        ],
      }),
      CONTEXT,
    );
    expect(mail.text).toContain(
      'Korjattavaa (tiedote julkaistiin silti):\n- Rivi 4: ”sumary” is not a field this system reads, so it was ignored. Did you mean ”summary”? Write ”summary:”.',
    );
    expect(mail.text).not.toContain('`');
    expect(mail.html).toContain('<li>Rivi 4: <code>sumary</code> is not a field');
  });
});

describe('localTime', () => {
  it('writes the local time of TIME_ZONE in each language', () => {
    const at = new Date('2026-05-14T06:00:00Z');
    expect(localTime(at, CONTEXT)).toBe('14.5. klo 9.00');
    expect(localTime(at, { ...CONTEXT, lang: 'sv' })).toBe('14.5. kl. 09.00');
    expect(localTime(at, { ...CONTEXT, timeZone: 'UTC' })).toBe('14.5. klo 6.00');
  });
});
