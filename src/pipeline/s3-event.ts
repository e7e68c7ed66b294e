import * as v from 'valibot';
import { isReleaseSourcePath } from '../release/source-files.js';
import { describeIssue } from '../shared/schemas.js';

/** The prefix under which staff upload releases; the only one that triggers publishing. */
export const RELEASES_PREFIX = 'releases/';

/** Whether `key` (decoded) names a release file: under `releases/`, by {@link isReleaseSourcePath}. */
export function isReleaseKey(key: string): boolean {
  return key.startsWith(RELEASES_PREFIX) && isReleaseSourcePath(key.slice(RELEASES_PREFIX.length));
}

/** The release's path relative to the releases root, as `Release.sourcePath` holds it. */
export function sourcePathOf(key: string): string {
  return key.slice(RELEASES_PREFIX.length);
}

/** One S3 notification record, validated and with its key decoded. */
export interface ObjectEvent {
  bucket: string;
  /** The object key as stored (decoded from the event's URL encoding). */
  key: string;
  /** `created` for `ObjectCreated:*`, `removed` for `ObjectRemoved:*`. */
  kind: 'created' | 'removed';
  /** The full event name, e.g. `ObjectCreated:Put`. */
  eventName: string;
  /** Per-key ordering token; see {@link compareSequencers}. */
  sequencer: string;
  eventTime?: string;
}

/** An event that is not an S3 notification this function can act on. */
export class EventShapeError extends Error {
  override readonly name = 'EventShapeError';
}

/** One record of an S3 notification: the fields the publisher reads. */
const s3Record = v.object({
  eventName: v.string(),
  eventTime: v.optional(v.string()),
  s3: v.object({
    bucket: v.object({ name: v.string() }),
    object: v.object({
      key: v.string(),
      sequencer: v.pipe(v.string(), v.hexadecimal('Invalid sequencer: not hexadecimal')),
    }),
  }),
});

const s3Notification = v.object({ Records: v.array(s3Record) }, 'S3 event has no Records array');

/**
 * Validates an S3 notification event and decodes every record's key. S3's configuration test
 * event (`s3:TestEvent`) yields no records. Records for other event types are left out.
 * @throws {EventShapeError} when the event or any record is malformed, naming the field
 *   (`Records[0].s3.object.sequencer: …`).
 */
export function decodeS3Event(event: unknown): ObjectEvent[] {
  if (!isObject(event)) throw new EventShapeError('S3 event must be an object');
  if (event.Event === 's3:TestEvent') return [];
  if (!Array.isArray(event.Records)) throw new EventShapeError('S3 event has no Records array');
  const parsed = v.safeParse(s3Notification, event);
  if (!parsed.success) throw new EventShapeError(describeIssue(parsed.issues));
  return parsed.output.Records.flatMap((record, index): ObjectEvent[] => {
    const { eventName, eventTime, s3 } = record;
    const kind = eventName.startsWith('ObjectCreated:')
      ? 'created'
      : eventName.startsWith('ObjectRemoved:')
        ? 'removed'
        : undefined;
    if (kind === undefined) return [];
    return [
      {
        bucket: s3.bucket.name,
        key: decodeS3Key(s3.object.key, `Records[${index}]`),
        kind,
        eventName,
        sequencer: s3.object.sequencer,
        eventTime,
      },
    ];
  });
}

/**
 * Decodes a key as S3 writes it into notifications: form-URL-encoded, `+` for a space and `%2B` for
 * a literal `+` (`releases/Kev%C3%A4t+2021.md` → `releases/Kevät 2021.md`).
 * @throws {EventShapeError} on malformed percent-encoding.
 */
export function decodeS3Key(encoded: string, where = 'key'): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (error) {
    throw new EventShapeError(`${where}: malformed URL encoding in "${encoded}"`, { cause: error });
  }
}

/**
 * Encodes a key the way S3 does in notifications: spaces as `+`, `/` and `A–Z a–z 0–9 - _ . *` as
 * they are, every other UTF-8 byte as `%XX`. The local stack uses it so handlers see real-S3 keys.
 */
export function encodeS3Key(key: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(key)) {
    const char = String.fromCharCode(byte);
    if (char === ' ') out += '+';
    else if (/[A-Za-z0-9\-_.*/]/.test(char)) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Orders two sequencers of events on the same key: S3 documents them as hexadecimal values to
 * compare after left-padding the shorter with zeros. Returns <0, 0 or >0 like a sort comparator.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
