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

/** Writes entries as JSON lines to stdout/stderr (CloudWatch Logs), redacting string fields. */
export const jsonLog: Log = (entry) => {
  const line = JSON.stringify(entry, (_key, value) =>
    typeof value === 'string' ? redact(value) : value,
  );
  if (entry.level === 'error') console.error(line);
  else if (entry.level === 'warn') console.warn(line);
  else console.log(line);
};

/** A log that drops everything (tests that do not look at logs). */
export const silentLog: Log = () => {};
