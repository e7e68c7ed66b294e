import { describe, expect, it } from 'vitest';
import { decodeNotice, NoticeFormatError } from '../../src/digest/notice-message.js';
import type { PipelineNotice } from '../../src/pipeline/notifier.js';

const warning = { path: 'releases/a.md', line: 3, field: 'image', message: 'Kuva puuttuu' };
const NOTICES: PipelineNotice[] = [
  {
    type: 'release-published',
    releaseId: 'urn:uuid:1',
    key: 'releases/a.md',
    sourcePath: 'a.md',
    url: 'https://tiedotteet.example.fi/releases/a.html',
    published: '2026-05-10T08:00:00.000Z',
  },
  {
    type: 'release-rejected',
    to: 'viestinta@example.fi',
    report: {
      file: 'releases/b.md',
      problem: 'Expected `title`',
      line: 1,
      when: '2026-05-10T08:00:00.000Z',
      message: 'Not published.',
      sourceEtag: '"abc"',
    },
  },
  {
    type: 'staff-outcome',
    to: 'viestinta@example.fi',
    outcome: 'published',
    sourcePath: 'a.md',
    title: 'Kirjasto',
    url: 'https://tiedotteet.example.fi/releases/a.html',
    published: '2026-05-10T08:00:00.000Z',
    warnings: [warning],
    silent: false,
  },
  {
    type: 'draft-preview',
    to: 'viestinta@example.fi',
    sourcePath: 'drafts/c.md',
    title: 'Luonnos',
    hash: 'ab'.repeat(32),
    expiresAt: '2026-05-17T08:00:00.000Z',
    warnings: [],
  },
];

describe('decodeNotice', () => {
  it.each(NOTICES)('gives back a $type notice as the pipeline sent it', (notice) => {
    expect(decodeNotice(JSON.stringify(notice), 'm-1')).toEqual(notice);
  });

  it('names the message and the field when a body is not a notice', () => {
    const broken = { ...NOTICES[2], warnings: [{ path: 'a.md' }] };
    expect(() => decodeNotice(JSON.stringify(broken), 'm-2')).toThrow(NoticeFormatError);
    expect(() => decodeNotice(JSON.stringify(broken), 'm-2')).toThrow(
      /^Message m-2 is not a pipeline notice: warnings\.0\.message: /,
    );
    expect(() => decodeNotice('{"type":"release-deleted"}', 'm-3')).toThrow(
      /^Message m-3 is not a pipeline notice: type: /,
    );
    expect(() => decodeNotice('{"type":', 'm-4')).toThrow('Message m-4 is not JSON');
  });
});
