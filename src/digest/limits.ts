import type { SendQuota } from './types.js';

/** How fast and how much one invocation may send. */
export interface SendLimits {
  /** Messages per second. */
  rate: number;
  /** Messages the rolling 24-hour quota still allows; `undefined` when unknown. */
  dailyBudget?: number;
  /** Where the rate came from, for logs and the bench. */
  source: 'config' | 'quota' | 'config+quota' | 'fallback';
}

/** Sandbox SES allows one message a second: the safe rate when nothing else is known. */
const FALLBACK_SEND_RATE = 1;

/**
 * The send rate and daily budget: the configured rate (`SES_SEND_RATE`) when set, capped by SES's
 * `MaxSendRate` when `GetSendQuota` answers within `timeoutMs` (local SES endpoints never answer),
 * and `Max24HourSend − SentLast24Hours` as the budget.
 */
export async function resolveSendLimits(options: {
  configuredRate?: number;
  quota?: (signal: AbortSignal) => Promise<SendQuota>;
  timeoutMs?: number;
}): Promise<SendLimits> {
  const { configuredRate } = options;
  let quota: SendQuota | undefined;
  if (options.quota) {
    quota = await options
      .quota(AbortSignal.timeout(options.timeoutMs ?? 3000))
      .catch(() => undefined);
  }
  if (!quota) {
    return configuredRate
      ? { rate: configuredRate, source: 'config' }
      : { rate: FALLBACK_SEND_RATE, source: 'fallback' };
  }
  const dailyBudget = Math.max(0, Math.floor(quota.max24HourSend - quota.sentLast24Hours));
  const max = quota.maxSendRate > 0 ? quota.maxSendRate : FALLBACK_SEND_RATE;
  return configuredRate
    ? { rate: Math.min(configuredRate, max), dailyBudget, source: 'config+quota' }
    : { rate: max, dailyBudget, source: 'quota' };
}
