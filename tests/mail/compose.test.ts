import { simpleParser } from 'mailparser';
import { describe, expect, test } from 'vitest';
import { composeMail, MailHeaderError } from '../../src/mail/compose.js';
import { parseMailbox } from '../../src/mail/mailbox.js';

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
    const listId = lines.find((l) => /^list-id:/i.test(l)) ?? '';
    expect(listId).toMatch(
      /=\?UTF-8\?Q\?Esimerkkil=C3=A4\?= tiedotteet <tiedotteet\.esimerkkila\.fi>$/,
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
