import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, test } from 'vitest';
import {
  composeMail,
  type MailContent,
  MailHeaderError,
  writeMail,
} from '../../src/mail/compose.js';
import { parseMailbox } from '../../src/mail/mailbox.js';
import { quotedPrintable } from '../../src/mail/mime.js';

const base = {
  from: { name: 'Esimerkkilä', address: 'uutiset@esimerkkila.fi' },
  to: 'anna@example.fi',
  subject: 'Vahvista tilaus – Esimerkkilä',
  text: 'Hei! Tässä linkki.',
  html: '<p>Hei! Tässä <a href="https://esimerkkila.fi/">linkki</a>.</p>',
  date: new Date('2025-03-01T10:00:00Z'),
};

function headerLines(raw: Uint8Array): string[] {
  const text = Buffer.from(raw).toString('utf8');
  return text.slice(0, text.indexOf('\r\n\r\n')).split(/\r\n(?![ \t])/);
}

describe('composeMail', () => {
  test('builds multipart/alternative with encoded From and Subject, Message-ID and Date', async () => {
    const { raw, messageId } = await composeMail(base);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.from?.value).toEqual([
      { name: 'Esimerkkilä', address: 'uutiset@esimerkkila.fi' },
    ]);
    expect(parsed.subject).toBe('Vahvista tilaus – Esimerkkilä');
    expect(parsed.text?.trim()).toBe('Hei! Tässä linkki.');
    expect(parsed.html).toContain('<a href="https://esimerkkila.fi/">linkki</a>');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@esimerkkila\.fi>$/);
    expect(parsed.date?.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    // Non-ASCII headers are RFC 2047 words; the raw message is 7-bit clean in its headers.
    expect(headerLines(raw).find((l) => l.startsWith('Subject:'))).toMatch(/=\?UTF-8\?/);
    expect(parsed.headers.has('list-unsubscribe')).toBe(false);
  });

  test('CR/LF in the subject or sender name cannot start a header', async () => {
    const { raw } = await composeMail({
      ...base,
      subject: 'Hello\r\nBcc: victim@example.org\r\n\r\nbody',
      from: { name: 'News\nBcc: victim@example.org', address: 'uutiset@esimerkkila.fi' },
    });
    const names = headerLines(raw).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    expect(names).not.toContain('bcc');
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Hello Bcc: victim@example.org body');
  });

  test('refuses recipients and URLs that could carry headers', async () => {
    await expect(composeMail({ ...base, to: 'a@example.fi\r\nBcc: b@example.fi' })).rejects.toThrow(
      MailHeaderError,
    );
    await expect(composeMail({ ...base, to: 'Anna <a@example.fi>' })).rejects.toThrow(
      MailHeaderError,
    );
    await expect(
      composeMail({ ...base, list: { unsubscribeUrl: 'javascript:alert(1)', oneClick: true } }),
    ).rejects.toThrow(MailHeaderError);
    await expect(composeMail({ ...base, to: 'ännä@example.fi' })).rejects.toThrow(MailHeaderError);
    await expect(composeMail({ ...base, to: '@example.fi' })).rejects.toThrow(MailHeaderError);
  });

  test('writes an internationalized sender domain in punycode', async () => {
    const from = { name: 'Ähtäri', address: 'uutiset@ähtäri.fi' };
    const { raw, messageId } = await composeMail({ ...base, from });
    const parsed = await simpleParser(Buffer.from(raw));
    expect(headerLines(raw)).toContain(
      'From: =?UTF-8?Q?=C3=84ht=C3=A4ri?= <uutiset@xn--htri-koac.fi>',
    );
    // A reader shows the domain in its own letters again.
    expect(parsed.from?.value).toEqual([{ name: 'Ähtäri', address: 'uutiset@ähtäri.fi' }]);
    expect(messageId).toMatch(/@xn--htri-koac\.fi>$/);
  });

  test('adds RFC 8058 and RFC 2919 list headers when asked', async () => {
    const { raw } = await composeMail({
      ...base,
      list: {
        unsubscribeUrl: 'https://esimerkkila.fi/api/unsubscribe?token=abc_DEF-123',
        oneClick: true,
        id: { name: 'Esimerkkilä tiedotteet', id: 'tiedotteet.esimerkkila.fi' },
      },
    });
    const lines = headerLines(raw);
    expect(lines).toContain(
      'List-Unsubscribe: <https://esimerkkila.fi/api/unsubscribe?token=abc_DEF-123>',
    );
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines).toContain(
      'List-Id: =?UTF-8?Q?Esimerkkil=C3=A4_tiedotteet?= <tiedotteet.esimerkkila.fi>',
    );
    // A mail reader sees the same: mailparser groups List-* headers under `list`.
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: 'https://esimerkkila.fi/api/unsubscribe?token=abc_DEF-123' },
      id: { id: 'tiedotteet.esimerkkila.fi' },
    });
  });
});

describe('parseMailbox', () => {
  test('reads MAIL_FROM with and without a display name', () => {
    expect(parseMailbox('Esimerkkilä <uutiset@esimerkkila.fi>')).toEqual({
      name: 'Esimerkkilä',
      address: 'uutiset@esimerkkila.fi',
    });
    expect(parseMailbox('uutiset@esimerkkila.fi')).toEqual({ address: 'uutiset@esimerkkila.fi' });
  });

  test('refuses lists, garbage and control characters', () => {
    expect(() => parseMailbox('a@x.fi, b@x.fi')).toThrow();
    expect(() => parseMailbox('not an address')).toThrow();
    expect(() => parseMailbox('News <a@x.fi>\r\nBcc: b@x.fi')).toThrow();
  });
});

// What the writer promises about header text: control characters become spaces, runs of blanks
// one space, no blanks at the ends.
const asHeader = (text: string) =>
  text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
const asLines = (text: string) => text.replace(/\r\n|\r/g, '\n');

// Text as mail really carries it and as an attacker would shape it: any code point, line breaks of
// every kind, blanks before them, '=' and encoded-word look-alikes, and long runs without a break.
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.constantFrom(
    '\r\n',
    '\n',
    '\r',
    ' ',
    '\t',
    ' \r\n',
    '=',
    '=?UTF-8?Q?x?=',
    'ä',
    '€',
    '😀',
    '.',
  ),
  fc
    .tuple(fc.constantFrom('a', 'ä', '=', ' ', '😀', 'x '), fc.integer({ min: 70, max: 1200 }))
    .map(([char, count]) => char.repeat(count)),
);
const text = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const headerish = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));

const contentArb = fc.record({
  name: headerish,
  subject: headerish,
  text: text.filter((t) => t !== ''),
  html: text.map((t) => `<p>${t}</p>`),
  list: fc.boolean(),
});

interface Generated {
  name: string;
  subject: string;
  text: string;
  html: string;
  list: boolean;
}

function toContent(c: Generated): MailContent {
  return {
    from: { name: c.name, address: 'uutiset@esimerkkila.fi' },
    to: 'anna@example.fi',
    subject: c.subject,
    text: c.text,
    html: c.html,
    date: new Date('2025-03-01T10:00:00Z'),
    messageId: 'run-1.abc@esimerkkila.fi',
    ...(c.list
      ? {
          list: {
            unsubscribeUrl: 'https://esimerkkila.fi/api/unsubscribe?token=abc',
            oneClick: true,
            id: { name: `Tiedotteet ${c.name}`, id: 'daily.esimerkkila.fi' },
          },
        }
      : {}),
  };
}

const HEADERS = ['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type'];
// mailparser gathers List-Unsubscribe, List-Unsubscribe-Post and List-Id under one `list` key.
const LIST_HEADERS = ['list'];

describe('writeMail over generated input (fast-check, read back with mailparser)', () => {
  test('what a mail reader sees is what was written, and nothing more', async () => {
    await fc.assert(
      fc.asyncProperty(contentArb, async (c) => {
        const content = toContent(c);
        const { raw } = writeMail(content);
        const parsed = await simpleParser(Buffer.from(raw));
        expect(parsed.subject ?? '').toBe(asHeader(c.subject));
        expect(parsed.from?.value).toEqual([
          { name: asHeader(c.name), address: 'uutiset@esimerkkila.fi' },
        ]);
        expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([
          { name: '', address: 'anna@example.fi' },
        ]);
        expect(parsed.text).toBe(asLines(c.text));
        expect(parsed.html).toBe(asLines(c.html));
        expect(parsed.messageId).toBe('<run-1.abc@esimerkkila.fi>');
        expect(parsed.date?.toISOString()).toBe('2025-03-01T10:00:00.000Z');
        const names = [...parsed.headers.keys()].sort();
        // A reader drops an empty Subject: it counts as absent.
        const expected = HEADERS.filter((h) => h !== 'subject' || asHeader(c.subject) !== '');
        expect(names).toEqual([...expected, ...(c.list ? LIST_HEADERS : [])].sort());
        expect(parsed.attachments).toEqual([]);
        if (c.list) {
          expect(parsed.headers.get('list')).toMatchObject({
            unsubscribe: { url: 'https://esimerkkila.fi/api/unsubscribe?token=abc' },
            'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
            id: { id: 'daily.esimerkkila.fi' },
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  test('the message is 7-bit, CRLF only, with lines inside the RFC limits', () => {
    fc.assert(
      fc.property(contentArb, (c) => {
        const raw = Buffer.from(writeMail(toContent(c)).raw);
        expect(raw.every((byte) => byte < 0x80)).toBe(true);
        const message = raw.toString('latin1');
        expect(message.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        const [head = '', ...body] = message.split('\r\n\r\n');
        for (const line of head.split('\r\n')) {
          // A URL cannot be folded; every other header line stays within 78 characters.
          if (!line.startsWith('List-Unsubscribe:')) expect(line.length).toBeLessThanOrEqual(78);
        }
        for (const line of body.join('\r\n\r\n').split('\r\n')) {
          expect(line.length).toBeLessThanOrEqual(76);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('quoted-printable breaks long lines without splitting an escape, and keeps trailing blanks', () => {
    const encoded = quotedPrintable(`${'é'.repeat(40)} \n${'x'.repeat(200)}\t`);
    const lines = encoded.toString('latin1').split('\r\n');
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/=[0-9A-F]$/); // a soft break never cuts an =XX escape
    }
    expect(lines.some((line) => line.endsWith('=20'))).toBe(true);
    expect(lines.at(-1)).toMatch(/=09$/);
  });

  test('mostly non-ASCII text goes base64, mostly ASCII quoted-printable', async () => {
    const { raw } = writeMail({
      ...toContent({
        name: '',
        subject: 'x',
        text: 'Привет '.repeat(50),
        html: '<p>Hei</p>',
        list: false,
      }),
    });
    const message = Buffer.from(raw).toString('latin1');
    expect(message).toMatch(/text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64/);
    expect(message).toMatch(
      /text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable/,
    );
    expect((await simpleParser(Buffer.from(raw))).text).toBe('Привет '.repeat(50));
  });

  test('parses the same as nodemailer’s composer for the same digest-shaped message', async () => {
    const content = toContent({
      name: 'Esimerkkilä (daily)',
      subject: 'Esimerkkilä: päivän tiedotteet 28.11.2026',
      text: 'Päivän tiedotteet\n\nUimahalli avataan – lue lisää: https://x.fi/a?b=1&c=2\n',
      html: '<p style="margin:0">Uimahalli avataan – <a href="https://x.fi/a?b=1&amp;c=2">lue</a></p>',
      list: true,
    });
    const ours = await simpleParser(Buffer.from(writeMail(content).raw));
    const theirs = await simpleParser(
      await new MailComposer({
        from: { name: content.from.name ?? '', address: content.from.address },
        to: content.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        date: content.date,
      })
        .compile()
        .build(),
    );
    for (const field of ['subject', 'text', 'html'] as const) {
      expect(ours[field]).toBe(theirs[field]);
    }
    expect(ours.from?.value).toEqual(theirs.from?.value);
  });
});
