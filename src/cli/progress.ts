/** A status line for long runs. */
export interface Progress {
  /** Replaces the status line (at most every `intervalMs`, except the first). */
  update(text: string): void;
  /** Clears the status line. */
  done(): void;
}

const SILENT: Progress = { update: () => {}, done: () => {} };

/**
 * A status line on `stream` (stderr) that rewrites itself in place, only when it is a terminal:
 * piped or redirected output (CI logs, scripts) gets no progress at all.
 */
export function terminalProgress(
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
  intervalMs = 100,
  now: () => number = Date.now,
): Progress {
  if (stream.isTTY !== true) return SILENT;
  let shown = false;
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(text) {
      const at = now();
      if (at - last < intervalMs) return;
      last = at;
      shown = true;
      stream.write(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
