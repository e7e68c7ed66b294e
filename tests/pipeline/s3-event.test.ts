import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSequencers,
  decodeS3Event,
  decodeS3Key,
  EventShapeError,
  encodeS3Key,
  isReleaseKey,
} from '../../src/pipeline/s3-event.js';

const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(import.meta.dirname, '../fixtures/events', name), 'utf8'));

describe('decodeS3Event', () => {
  it('decodes `+` as a space and percent-escapes as UTF-8', async () => {
    const [record] = decodeS3Event(await fixture('put-spaces-umlauts.json'));
    expect(record).toEqual({
      bucket: 'newsroom-releases',
      key: 'releases/2021/Kevät 2021.md',
      kind: 'created',
      eventName: 'ObjectCreated:Put',
      sequencer: '0055AED6DCD90281E5',
      eventTime: '2026-01-15T10:00:00.000Z',
    });
  });

  it('keeps a literal plus that arrives as %2B', async () => {
    const [record] = decodeS3Event(await fixture('put-literal-plus.json'));
    expect(record?.key).toBe('releases/C++ ja öljy (2).md');
    expect(record?.kind).toBe('created');
  });

  it('reads a deletion', async () => {
    const [record] = decodeS3Event(await fixture('delete.json'));
    expect(record).toMatchObject({ key: 'releases/2021/Kevät 2021.md', kind: 'removed' });
  });

  it('returns every created and removed record of a batch and skips other event types', async () => {
    const records = decodeS3Event(await fixture('batch.json'));
    expect(records.map((record) => [record.kind, record.key])).toEqual([
      ['created', 'releases/tiedotteet/uimahallit.md'],
      ['removed', 'releases/vanha tiedote.md'],
    ]);
  });

  it("answers S3's configuration test event with no records", async () => {
    expect(decodeS3Event(await fixture('test-event.json'))).toEqual([]);
  });

  it('rejects events that are not S3 notifications, naming what is wrong', async () => {
    expect(() => decodeS3Event(null)).toThrow(EventShapeError);
    expect(() => decodeS3Event({ detail: {} })).toThrow(/no Records array/);
    const broken = (await fixture('delete.json')) as { Records: { s3: { object: object } }[] };
    const record = broken.Records[0];
    if (record) record.s3.object = { key: 'releases/x.md' };
    expect(() => decodeS3Event(broken)).toThrow(/Records\[0\].*sequencer/);
    expect(() => decodeS3Key('releases/%E0%A4%A.md')).toThrow(EventShapeError);
  });
});

describe('encodeS3Key', () => {
  it('encodes like S3: + for spaces, %2B for plus, UTF-8 escapes, slashes kept', () => {
    expect(encodeS3Key('releases/Kevät 2021.md')).toBe('releases/Kev%C3%A4t+2021.md');
    expect(encodeS3Key('releases/C++ ja öljy (2).md')).toBe(
      'releases/C%2B%2B+ja+%C3%B6ljy+%282%29.md',
    );
  });

  it('round-trips any key through decodeS3Key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
        expect(decodeS3Key(encodeS3Key(key))).toBe(key);
      }),
    );
  });
});

describe('compareSequencers', () => {
  it('compares as hex after left-padding to equal length', () => {
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD9028A11')).toBeLessThan(0);
    expect(compareSequencers('FF', '0100')).toBeLessThan(0);
    expect(compareSequencers('100', 'FF')).toBeGreaterThan(0);
    expect(compareSequencers('00ab', 'AB')).toBe(0);
  });

  it('orders like the numbers they encode', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 80n }),
        fc.bigInt({ min: 0n, max: 2n ** 80n }),
        fc.nat(4),
        fc.nat(4),
        (a, b, padA, padB) => {
          const hexA = '0'.repeat(padA) + a.toString(16).toUpperCase();
          const hexB = '0'.repeat(padB) + b.toString(16);
          expect(Math.sign(compareSequencers(hexA, hexB))).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });
});

describe('isReleaseKey', () => {
  it('accepts release files under releases/ only', () => {
    expect(isReleaseKey('releases/2021/a b.md')).toBe(true);
    expect(isReleaseKey('releases/notes.txt')).toBe(false);
    expect(isReleaseKey('reports/releases/a.md.json')).toBe(false);
    expect(isReleaseKey('releases/.md')).toBe(false);
    // The CLI's rule: .MD too, nothing hidden (S3's own suffix filter could not say this).
    expect(isReleaseKey('releases/sv/PRESS.MD')).toBe(true);
    expect(isReleaseKey('releases/2021/._a b.md')).toBe(false);
    expect(isReleaseKey('releases/.trash/a.md')).toBe(false);
    expect(isReleaseKey('state/releases/a.md')).toBe(false);
  });
});
