import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { countEvent } from './metrics.js';

/** One structured log line. Never put an address, a token or a request body in one. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  /** Short machine-readable event name, e.g. `subscribe.throttled`. */
  event: string;
  [field: string]: unknown;
}

/** Where core code sends log lines; the handlers pass {@link jsonLog}. */
export type Log = (entry: LogEntry) => void;

const EMAIL_LIKE = /[^\s<>()"',;:@]+@[^\s<>()"',;:@]+/g;
const TOKEN_PARAM = /token=[A-Za-z0-9_-]+/g;

/**
 * Blanks out anything that looks like an email address or a token in text that did not come from
 * this code (SDK error messages name the rejected recipient, for instance).
 */
export function redact(text: string): string {
  return text.replace(EMAIL_LIKE, '[address]').replace(TOKEN_PARAM, 'token=[token]');
}

/** The parts of an error that are safe to log: its name, redacted message and its causes' names. */
export function describeError(error: unknown): { name: string; message: string; cause?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: redact(String(error)) };
  const cause = error.cause instanceof Error ? error.cause.name : undefined;
  return { name: error.name, message: redact(error.message), ...(cause ? { cause } : {}) };
}

/**
 * The one logger (Powertools): JSON lines with level, timestamp, service and the Lambda request,
 * every string redacted ({@link redact}), the level from `POWERTOOLS_LOG_LEVEL` (default INFO).
 * Outside Lambda (npm start, the CLI, tests) it writes through the global console, one compact line
 * an entry, where the local stack and tests read it; in Lambda, straight to stdout as Powertools does.
 */
class RedactingLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    if (process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    const attributes = log.getAttributes();
    const line = JSON.stringify(attributes, this.getJsonReplacer());
    const level = String(attributes.level);
    if (level === 'ERROR' || level === 'CRITICAL') console.error(line);
    else if (level === 'WARN') console.warn(line);
    else console.log(line);
  }
}

/** The process's logger; `service` from `POWERTOOLS_SERVICE_NAME`, else `newsroom`. */
export const logger = new RedactingLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom',
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? redact(value) : value),
});

/** Writes an entry through {@link logger} at its level, and counts it if it is a counted event. */
export const jsonLog: Log = (entry) => {
  const { level, event, ...fields } = entry;
  countEvent(event, fields);
  logger[level](event, { event, ...unreserved(fields) });
};

// Keys Powertools sets on every line itself (it drops them from the extra fields with a warning).
const RESERVED = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate']);

/**
 * `fields` with the keys Powertools reserves renamed `detail_<key>`: an error's `message`
 * ({@link describeError}) stays in the line as `detail_message`.
 */
export function unreserved(fields: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(fields).some((key) => RESERVED.has(key))) return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      RESERVED.has(key) ? `detail_${key}` : key,
      value,
    ]),
  );
}
