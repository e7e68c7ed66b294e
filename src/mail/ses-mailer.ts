import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingMail } from '../shared/ports.js';

/** SES refused or failed to take a message. The message names no recipient. */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
}

export interface SesMailerOptions {
  /** A ready client; otherwise one is built from `region` and `endpoint`. */
  client?: SESClient;
  region?: string;
  /** Non-AWS endpoint (the local stack's aws-ses-v2-local), from SES_ENDPOINT. */
  endpoint?: string;
  /** Configuration set whose event destination publishes bounces and complaints (`eventType`). */
  configurationSet?: string;
}

/** An SES v1 client for AWS, or for a local endpoint (SES_ENDPOINT) when one is given. */
export function createSesClient(options: Pick<SesMailerOptions, 'region' | 'endpoint'>): SESClient {
  return new SESClient({
    // In Lambda the SDK finds the region itself; a local endpoint still needs one to sign with.
    region: options.region ?? (options.endpoint ? 'us-east-1' : undefined),
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // The local endpoint accepts any credentials; do not go looking for real ones.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
}

/**
 * A {@link Mailer} that sends raw MIME through SES v1 `SendRawEmail`, the only SES v1 call that
 * keeps our own headers (List-Unsubscribe and friends).
 */
export function createSesMailer(options: SesMailerOptions = {}): Mailer {
  const client = options.client ?? createSesClient(options);
  return {
    async send(mail: OutgoingMail) {
      try {
        const result = await client.send(
          new SendRawEmailCommand({
            RawMessage: { Data: mail.raw },
            Source: mail.from,
            Destinations: mail.to,
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          }),
        );
        if (!result.MessageId) throw new MailSendError('SES answered without a MessageId');
        return { messageId: result.MessageId };
      } catch (error) {
        if (error instanceof MailSendError) throw error;
        const name = error instanceof Error ? error.name : 'UnknownError';
        throw new MailSendError(`SES SendRawEmail failed: ${name}`, { cause: error });
      }
    },
  };
}
