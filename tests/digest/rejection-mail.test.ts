import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { mailRejectionReport } from '../../src/digest/rejection-mail.js';
import type { OutgoingMail } from '../../src/shared/ports.js';

describe('mailRejectionReport', () => {
  it("mails staff the pipeline's report on a rejected upload", async () => {
    const sent: OutgoingMail[] = [];
    await mailRejectionReport(
      {
        type: 'release-rejected',
        to: 'viestinta@example.fi',
        report: {
          file: 'releases/Kevät 2021.md',
          problem: 'Expected `title` in front matter or a first heading (# Title).',
          line: 2,
          when: '2026-11-28T10:00:00.000Z',
          message: 'releases/Kevät 2021.md was not published: no title. Nothing was published.',
        },
      },
      {
        mailer: {
          send: async (mail) => {
            sent.push(mail);
            return { messageId: 'm1' };
          },
        },
        from: { name: 'Esimerkkilä', address: 'uutiset@example.fi' },
        clock: () => new Date('2026-11-28T10:00:05Z'),
      },
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual(['viestinta@example.fi']);
    const mail = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(mail.subject).toBe(
      'Tiedotetta ei julkaistu / Release not published: releases/Kevät 2021.md',
    );
    expect(mail.text).toContain('releases/Kevät 2021.md:2: Expected `title`');
    expect(mail.text).toContain('Report: reports/releases/Kevät 2021.md.json');
    expect(mail.html).toContain('Nothing was published.');
  });
});
