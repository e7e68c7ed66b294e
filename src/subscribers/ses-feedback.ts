import { parseMailbox } from '../mail/mailbox.js';
import type { Log } from '../observability/log.js';
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

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function recipients(list: unknown): string[] {
  if (!Array.isArray(list)) throw new InvalidNotificationError('Recipient list is missing');
  return list.flatMap((entry) => {
    const address = record(entry)?.emailAddress;
    return typeof address === 'string' ? [bareAddress(address)] : [];
  });
}

/** `Aino Asukas <aino@example.fi>` → `aino@example.fi`; a bare address as it is. */
function bareAddress(text: string): string {
  if (!text.includes('<')) return text;
  try {
    return parseMailbox(text).address;
  } catch {
    return text;
  }
}

function mailOrigin(message: Record<string, unknown>): SesMailOrigin {
  const mail = record(message.mail);
  const source = typeof mail?.source === 'string' ? bareAddress(mail.source) : undefined;
  const tag = record(mail?.tags)?.['ses:configuration-set'];
  const configurationSet = Array.isArray(tag) && typeof tag[0] === 'string' ? tag[0] : undefined;
  return { ...(source ? { source } : {}), ...(configurationSet ? { configurationSet } : {}) };
}

function instant(value: unknown, fallback: Date): Date {
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}

/**
 * Reads an SES notification (the JSON in an SNS message): identity notifications carry
 * `notificationType`, configuration-set event publishing carries `eventType`. `Undetermined`
 * bounces count as transient ones.
 *
 * @param receivedAt used when the notification carries no readable timestamp.
 * @throws {InvalidNotificationError} when the JSON is not an SES notification.
 */
export function parseSesNotification(json: string, receivedAt: Date): SesFeedback {
  let message: Record<string, unknown> | undefined;
  try {
    message = record(JSON.parse(json));
  } catch (error) {
    throw new InvalidNotificationError('SNS message is not JSON', { cause: error });
  }
  const type = message?.notificationType ?? message?.eventType;
  if (message === undefined || typeof type !== 'string') {
    throw new InvalidNotificationError('Neither notificationType nor eventType is present');
  }
  const origin = mailOrigin(message);
  if (type === 'Bounce') {
    const bounce = record(message.bounce);
    if (bounce === undefined) throw new InvalidNotificationError('Bounce without bounce object');
    const feedbackId = typeof bounce.feedbackId === 'string' ? bounce.feedbackId : undefined;
    return {
      ...origin,
      kind: bounce.bounceType === 'Permanent' ? 'permanent-bounce' : 'transient-bounce',
      recipients: recipients(bounce.bouncedRecipients),
      at: instant(bounce.timestamp, receivedAt),
      ...(feedbackId ? { feedbackId } : {}),
    };
  }
  if (type === 'Complaint') {
    const complaint = record(message.complaint);
    if (complaint === undefined) {
      throw new InvalidNotificationError('Complaint without complaint object');
    }
    const feedbackId = typeof complaint.feedbackId === 'string' ? complaint.feedbackId : undefined;
    return {
      ...origin,
      kind: 'complaint',
      recipients: recipients(complaint.complainedRecipients),
      at: instant(complaint.timestamp, receivedAt),
      ...(feedbackId ? { feedbackId } : {}),
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
