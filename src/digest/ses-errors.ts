import { redact } from '../observability/log.js';

/**
 * What a failed send means for the run:
 * - `throttled`: over the per-second rate; wait and try the same message again.
 * - `transient`: a 5xx or a network failure; wait and try again.
 * - `quota`: the 24-hour quota is used up or sending is paused: stop the run, continue later.
 * - `rejected`: SES refuses this message for good; record it and go on with the next recipient.
 * - `unknown`: not an SES answer at all (a bug); the run fails so it is seen and retried.
 */
export type SendFailureKind = 'throttled' | 'transient' | 'quota' | 'rejected' | 'unknown';

interface ErrorFacts {
  names: string[];
  messages: string[];
  status?: number;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
]);
const STOPPING = new Set(['AccountSendingPausedException', 'SendingPausedException']);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Classifies an error from a `Mailer` (SES SDK errors, possibly wrapped in `cause`). */
export function classifySendError(error: unknown): SendFailureKind {
  const facts = collect(error);
  const text = facts.messages.join(' ');
  if (/daily message quota exceeded/i.test(text)) return 'quota';
  if (facts.names.some((name) => STOPPING.has(name))) return 'quota';
  if (
    facts.names.some((name) => THROTTLING.has(name)) ||
    /maximum sending rate exceeded/i.test(text)
  ) {
    return 'throttled';
  }
  if (facts.status !== undefined && facts.status >= 500) return 'transient';
  if (facts.names.some((name) => TRANSIENT_CODES.has(name))) return 'transient';
  if (facts.status !== undefined && facts.status >= 400) return 'rejected';
  if (facts.names.some((name) => /Rejected|NotVerified|InvalidParameter/.test(name)))
    return 'rejected';
  return 'unknown';
}

/** A short, address-free description of an error for progress records. */
export function describeSendError(error: unknown): string {
  const facts = collect(error);
  // The innermost error is the SES answer itself; wrappers only say that a send failed.
  const name = facts.names.at(-1) ?? 'Error';
  // SES messages may name the refused address; records and logs must not.
  return `${name}: ${redact(facts.messages.at(-1) ?? '').slice(0, 200)}`;
}

function collect(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { names: [], messages: [] };
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (typeof current !== 'object') {
      facts.messages.push(String(current));
      break;
    }
    const e = current as {
      name?: unknown;
      code?: unknown;
      Code?: unknown;
      message?: unknown;
      $metadata?: { httpStatusCode?: number };
      cause?: unknown;
    };
    for (const value of [e.name, e.code, e.Code])
      if (typeof value === 'string') facts.names.push(value);
    if (typeof e.message === 'string') facts.messages.push(e.message);
    facts.status ??= e.$metadata?.httpStatusCode;
    current = e.cause;
  }
  return facts;
}
