import * as v from 'valibot';
import { parseMailbox } from '../mail/mailbox.js';
import type { Log } from '../observability/log.js';
import { describeIssue } from '../shared/schemas.js';
import { parseAddress } from './address.js';
import { hashAddress, type SubscriberKeys } from './keys.js';
import type { SubscriberStore } from './store.js';
import { type BouncePolicy, withSuppression, withTransientBounce } from './suppression.js';

/** An SNS message is not an SES notification we can read. */
export class InvalidNotificationError extends Error {
  override readonly name = 'InvalidNotificationError';
}

/** Which mail a notification is about: who sent it, through which configuration set. */
interface SesMailOrigin {
  /** `mail.source`: the address the mail was sent from. */
  source?: string;
  /** `mail.tags["ses:configuration-set"]`, when SES tagged it. */
  configurationSet?: string;
}

/** What an SES notification means for the recipients it names. */
export type SesFeedback = SesMailOrigin &
  (
    | {
        kind: 'permanent-bounce' | 'transient-bounce' | 'complaint';
        recipients: string[];
        at: Date;
        feedbackId?: string;
      }
    /** Delivery, Send, Open, Reject, … : nothing to do. */
    | { kind: 'other'; type: string }
  );

/** The recipients a bounce or complaint names (`emailAddress` may be `Name <address>`). */
const recipientList = v.pipe(
  v.array(v.object({ emailAddress: v.string() }), 'Expected a list of recipients'),
  v.transform((list) => list.map((entry) => bareAddress(entry.emailAddress))),
);

/** `timestamp`, or `undefined` when it is absent or unreadable (the SNS time is used then). */
const timestamp = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((value) => {
      const at = typeof value === 'string' ? new Date(value) : undefined;
      return at && !Number.isNaN(at.getTime()) ? at : undefined;
    }),
  ),
);

const feedbackFields = { timestamp, feedbackId: v.optional(v.string()) };

/** The SES notification fields this code reads; everything else passes unread. */
const sesNotification = v.object({
  notificationType: v.optional(v.string()),
  eventType: v.optional(v.string()),
  mail: v.optional(
    v.object({
      source: v.optional(v.string()),
      tags: v.optional(v.record(v.string(), v.array(v.string()))),
    }),
  ),
  bounce: v.optional(
    v.object({
      ...feedbackFields,
      bounceType: v.optional(v.string()),
      bouncedRecipients: recipientList,
    }),
  ),
  complaint: v.optional(v.object({ ...feedbackFields, complainedRecipients: recipientList })),
});

type SesNotification = v.InferOutput<typeof sesNotification>;

/** `Aino Asukas <aino@example.fi>` → `aino@example.fi`; a bare address as it is. */
function bareAddress(text: string): string {
  if (!text.includes('<')) return text;
  try {
    return parseMailbox(text).address;
  } catch {
    return text;
  }
}

function mailOrigin(mail: SesNotification['mail']): SesMailOrigin {
  const source = mail?.source === undefined ? undefined : bareAddress(mail.source);
  const configurationSet = mail?.tags?.['ses:configuration-set']?.[0];
  return { ...(source ? { source } : {}), ...(configurationSet ? { configurationSet } : {}) };
}

/**
 * Reads an SES notification (the JSON in an SNS message): identity notifications carry
 * `notificationType`, configuration-set event publishing carries `eventType`. `Undetermined`
 * bounces count as transient ones.
 *
 * @param receivedAt used when the notification carries no readable timestamp.
 * @param source names the notification in an error (its SNS message id).
 * @throws {InvalidNotificationError} when the JSON is not an SES notification, naming the field.
 */
export function parseSesNotification(
  json: string,
  receivedAt: Date,
  source = 'SNS message',
): SesFeedback {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidNotificationError(`${source} is not JSON`, { cause: error });
  }
  const result = v.safeParse(sesNotification, parsed);
  if (!result.success) {
    throw new InvalidNotificationError(`${source}: ${describeIssue(result.issues)}`);
  }
  const message = result.output;
  const type = message.notificationType ?? message.eventType;
  if (type === undefined) {
    throw new InvalidNotificationError(
      `${source}: neither notificationType nor eventType is present`,
    );
  }
  const origin = mailOrigin(message.mail);
  if (type === 'Bounce' || type === 'Complaint') {
    const feedback = type === 'Bounce' ? message.bounce : message.complaint;
    const field = type === 'Bounce' ? 'bounce' : 'complaint';
    if (feedback === undefined) {
      throw new InvalidNotificationError(
        `${source}: ${field}: a ${type} needs its ${field} object`,
      );
    }
    const kind =
      'bouncedRecipients' in feedback
        ? feedback.bounceType === 'Permanent'
          ? 'permanent-bounce'
          : 'transient-bounce'
        : 'complaint';
    return {
      ...origin,
      kind,
      recipients:
        'bouncedRecipients' in feedback
          ? feedback.bouncedRecipients
          : feedback.complainedRecipients,
      at: feedback.timestamp ?? receivedAt,
      ...(feedback.feedbackId ? { feedbackId: feedback.feedbackId } : {}),
    };
  }
  return { ...origin, kind: 'other', type };
}

export interface FeedbackDeps {
  subscribers: SubscriberStore;
  keys: SubscriberKeys;
  policy: BouncePolicy;
  log: Log;
}

/** What one notification changed. */
export interface FeedbackResult {
  suppressed: number;
  counted: number;
  /** Recipients whose address could not be read. */
  unreadable: number;
}

/**
 * Applies a bounce or complaint to every recipient it names: a permanent bounce or a complaint
 * suppresses the address and removes its subscriber at once; a transient bounce is counted and
 * suppresses at the policy's threshold. Other notifications change nothing. Safe to run twice
 * for the same notification.
 */
export async function applySesFeedback(
  deps: FeedbackDeps,
  feedback: SesFeedback,
): Promise<FeedbackResult> {
  const result: FeedbackResult = { suppressed: 0, counted: 0, unreadable: 0 };
  if (feedback.kind === 'other') return result;
  for (const recipient of feedback.recipients) {
    const parsed = parseAddress(recipient);
    if (!parsed.ok) {
      result.unreadable += 1;
      continue;
    }
    const addressHash = hashAddress(deps.keys, parsed.address);
    const state = await deps.subscribers.updateAddressState(addressHash, (current) =>
      feedback.kind === 'transient-bounce'
        ? withTransientBounce(current, feedback.at, feedback.feedbackId, deps.policy)
        : withSuppression(
            current,
            feedback.kind === 'complaint' ? 'complaint' : 'bounce',
            feedback.at,
          ),
    );
    if (feedback.kind === 'transient-bounce') result.counted += 1;
    const reason = state?.suppression?.reason;
    if (reason === 'bounce' || reason === 'complaint') {
      await deps.subscribers.removeByAddressHash(addressHash);
      result.suppressed += 1;
    }
  }
  deps.log({ level: 'info', event: `ses.${feedback.kind}`, ...result });
  return result;
}
