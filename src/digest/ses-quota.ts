import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { SendQuota } from './types.js';

/** `GetSendQuota` through an SES client, abortable (pass a timeout signal: see limits.ts). */
export function sesSendQuota(client: SESClient): (signal: AbortSignal) => Promise<SendQuota> {
  return async (signal) => {
    const out = await client.send(new GetSendQuotaCommand({}), { abortSignal: signal });
    return {
      maxSendRate: out.MaxSendRate ?? 0,
      max24HourSend: out.Max24HourSend ?? 0,
      sentLast24Hours: out.SentLast24Hours ?? 0,
    };
  };
}
