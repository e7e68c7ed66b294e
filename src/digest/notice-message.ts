/**
 * The pipeline's notices as they arrive on the immediate queue: bytes become a
 * {@link PipelineNotice} here, checked by a schema (valibot), or a {@link NoticeFormatError} that
 * names the message. Kept in step with src/pipeline/notifier.ts by the type check below.
 */
import * as v from 'valibot';
import type { PipelineNotice } from '../pipeline/notifier.js';

const text = v.string();
const optionalNumber = v.optional(v.number());
const optionalText = v.optional(v.string());

const warning = v.object({
  path: text,
  line: optionalNumber,
  field: optionalText,
  message: text,
});

const noticeSchema = v.variant('type', [
  v.object({
    type: v.literal('release-published'),
    releaseId: text,
    key: text,
    sourcePath: text,
    url: text,
    published: text,
  }),
  v.object({
    type: v.literal('release-rejected'),
    to: text,
    report: v.object({
      file: text,
      problem: text,
      line: optionalNumber,
      field: optionalText,
      when: text,
      message: text,
      sourceEtag: optionalText,
    }),
  }),
  v.object({
    type: v.literal('staff-outcome'),
    to: text,
    outcome: v.picklist(['published', 'updated', 'fixed', 'scheduled', 'withdrawn']),
    sourcePath: text,
    title: text,
    url: text,
    published: text,
    warnings: v.array(warning),
    silent: v.boolean(),
  }),
  v.object({
    type: v.literal('draft-preview'),
    to: text,
    sourcePath: text,
    title: text,
    hash: text,
    expiresAt: text,
    warnings: v.array(warning),
  }),
]);

// Fails to compile when the schema and the notice types drift apart (in either direction).
type Decoded = v.InferOutput<typeof noticeSchema>;
const _sameShape: [
  Decoded extends PipelineNotice ? true : false,
  PipelineNotice extends Decoded ? true : false,
] = [true, true];
void _sameShape;

/** A queue message that is not a notice; names the message and what is wrong with it. */
export class NoticeFormatError extends Error {
  override readonly name = 'NoticeFormatError';
}

/**
 * The notice in a queue message's body.
 * @param source names the message in the error, e.g. its SQS message id.
 * @throws {NoticeFormatError} when the body is not JSON or not a notice.
 */
export function decodeNotice(body: string, source: string): PipelineNotice {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new NoticeFormatError(`Message ${source} is not JSON`, { cause: error });
  }
  const result = v.safeParse(noticeSchema, json);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '(the message)';
  throw new NoticeFormatError(
    `Message ${source} is not a pipeline notice: ${path}: ${issue.message}`,
  );
}
