import type { SNSEvent } from 'aws-lambda';
import * as v from 'valibot';
import { describeIssue } from '../shared/schemas.js';
import {
  applySesFeedback,
  type FeedbackDeps,
  InvalidNotificationError,
  parseSesNotification,
  type SesFeedback,
} from './ses-feedback.js';
import { checkSnsMessage, type SnsMessage, type SnsTrust } from './sns.js';

/** What the SES-notifications function needs. */
export interface SesNotificationDeps extends FeedbackDeps {
  trust: SnsTrust;
  /** The address our mail is sent from (MAIL_FROM): notifications about other mail are foreign. */
  mailFrom: string;
  /** SES_CONFIGURATION_SET, when mail is sent through one. */
  configurationSet?: string;
}

/** How many records were applied and how many ignored as forged or foreign. */
export interface NotificationsResult {
  applied: number;
  ignored: number;
}

/**
 * Applies the SES bounces and complaints in an SNS event, and only those that are ours: from the
 * configured topic, signed by SNS, about mail sent from MAIL_FROM (through our configuration set,
 * if SES names one). Anything else is logged and ignored. A message that passes those checks but
 * cannot be read throws, so Lambda retries it and then keeps it aside.
 */
export async function handleSesNotifications(
  deps: SesNotificationDeps,
  event: SNSEvent,
): Promise<NotificationsResult> {
  const result: NotificationsResult = { applied: 0, ignored: 0 };
  for (const [index, record] of (event.Records ?? []).entries()) {
    const sns = snsMessageOf(record, index);
    const verdict = await checkSnsMessage(sns, deps.trust);
    const feedback = verdict.ok
      ? parseSesNotification(
          sns.Message,
          new Date(sns.Timestamp || deps.trust.clock()),
          `SNS message ${sns.MessageId}`,
        )
      : undefined;
    const refusedBy = verdict.ok ? foreignMail(feedback, deps) : verdict.refusedBy;
    if (refusedBy !== undefined || feedback === undefined) {
      deps.log({
        level: 'warn',
        event: 'ses.ignored',
        reason: refusedBy,
        messageId: sns.MessageId,
      });
      result.ignored += 1;
      continue;
    }
    await applySesFeedback(deps, feedback);
    result.applied += 1;
  }
  return result;
}

/** The fields of `Records[].Sns` this code reads (the signature's are checked by checkSnsMessage). */
const snsRecord = v.object({
  Sns: v.looseObject({
    Type: v.string(),
    MessageId: v.string(),
    TopicArn: v.string(),
    Message: v.string(),
    Timestamp: v.optional(v.string()),
  }),
});

/**
 * The SNS message in a record, checked as SNS delivers it; the record is returned as delivered.
 * @throws {InvalidNotificationError} naming the record and the field when it is not one.
 */
function snsMessageOf(record: unknown, index: number): SnsMessage {
  const result = v.safeParse(snsRecord, record);
  if (!result.success) {
    throw new InvalidNotificationError(`Records[${index}].${describeIssue(result.issues)}`);
  }
  return (record as { Sns: SnsMessage }).Sns;
}

function foreignMail(
  feedback: SesFeedback | undefined,
  deps: SesNotificationDeps,
): 'source' | 'configuration-set' | undefined {
  if (feedback?.source?.toLowerCase() !== deps.mailFrom.toLowerCase()) return 'source';
  const set = feedback.configurationSet;
  if (set !== undefined && set !== deps.configurationSet) return 'configuration-set';
  return undefined;
}
