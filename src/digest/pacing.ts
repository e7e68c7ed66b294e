/** Monotonic time and waiting, injectable so tests and benchmarks control them. */
export interface Timer {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The process's monotonic clock and `setTimeout`. */
export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A token bucket in its virtual-scheduling form (GCRA): each `take()` reserves the next send slot,
 * `1 / rate` seconds after the previous one, so concurrent senders share one rate. Slots missed
 * because the event loop was busy may be caught up (up to `burst` at once), but never beyond
 * `rate` messages in any one-second window: SES's "maximum send rate" is per second.
 */
export class TokenBucket {
  #next = Number.NEGATIVE_INFINITY;
  readonly #interval: number;
  /** When the last `floor(rate)` messages leave, oldest first, for the one-second cap. */
  readonly #recent: number[] = [];
  readonly #perSecond: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly timer: Timer = realTimer,
    private readonly burst = 1,
  ) {
    if (!(ratePerSecond > 0))
      throw new RangeError(`send rate must be positive, got ${ratePerSecond}`);
    this.#interval = 1000 / ratePerSecond;
    this.#perSecond = Math.floor(ratePerSecond);
  }

  /** Resolves when the caller may send one message. */
  async take(): Promise<void> {
    const now = this.timer.now();
    let at = Math.max(this.#next, now - (this.burst - 1) * this.#interval);
    if (this.#perSecond >= 1 && this.#recent.length === this.#perSecond) {
      at = Math.max(at, (this.#recent.shift() ?? at) + 1000);
    }
    // The cap counts when messages really leave: a caught-up slot leaves now, not in the past.
    if (this.#perSecond >= 1) this.#recent.push(Math.max(at, now));
    this.#next = at + this.#interval;
    if (at > now) await this.timer.sleep(at - now);
  }
}

/**
 * Counts slots in use and makes callers wait while all `size` are taken. The sender holds one from
 * just before a message goes to SES until its record is stored, so no crash can catch more than
 * `size` messages accepted but unrecorded.
 */
export class SlotGate {
  #used = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Takes a slot, waiting for one to be given back when all are in use. */
  async take(): Promise<void> {
    while (this.#used >= this.size) await new Promise<void>((wake) => this.#waiting.push(wake));
    this.#used += 1;
  }

  /** Gives a slot back and wakes one waiter. */
  give(): void {
    this.#used -= 1;
    this.#waiting.shift()?.();
  }

  get used(): number {
    return this.#used;
  }
}
