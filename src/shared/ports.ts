/**
 * Ports: the small interfaces core code depends on. Adapters for S3, SES, the file system and the
 * local stack implement them, so the same core runs in Lambda, in `npm start` and in the CLI.
 */

/** An object as read back from a store. */
export interface StoredObject {
  body: Uint8Array;
  /** Opaque version tag, quoted as S3 returns it. */
  etag: string;
  contentType?: string;
  lastModified?: Date;
}

/** A listing entry. */
export interface ObjectSummary {
  key: string;
  etag: string;
  size: number;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  /** `Content-Disposition` served with the object (documents: `attachment; filename=…`). */
  contentDisposition?: string;
  /** Write only if the current object has this ETag (optimistic concurrency). */
  ifMatch?: string;
  /** `'*'`: write only if no object exists under the key. */
  ifNoneMatch?: '*';
}

/** One bucket (or folder) of objects, addressed by key. */
export interface ObjectStore {
  /** The object, or `undefined` when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Writes the object; rejects with {@link PreconditionFailedError} when a condition fails. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<{ etag: string }>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order, streamed page by page. */
  list(prefix: string): AsyncIterable<ObjectSummary>;
}

/** A conditional write lost a race: somebody else changed the object first. */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Precondition failed writing ${key}: it changed since it was read`, options);
  }
}

/** A complete email, ready to hand to a mail transport. */
export interface OutgoingMail {
  /** RFC 5322 message (headers and body), as built by the mail composer. */
  raw: Uint8Array;
  from: string;
  to: string[];
}

export interface Mailer {
  /** Sends one message; resolves to the transport's message id. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The only way core code learns the time. */
export type Clock = () => Date;
