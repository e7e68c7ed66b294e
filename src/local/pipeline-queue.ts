import type { PipelineEvent } from '../pipeline/events.js';

/** How a failed batch is retried before it is given up (the dead-letter queue's place). */
export interface RetryPolicy {
  attempts: number;
  /** Wait before retry `n` (1-based). */
  delayMs: (attempt: number) => number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, delayMs: (n) => 100 * 2 ** (n - 1) };

/**
 * The publishing queue in-process, with the semantics the AWS wiring has: one consumer, events
 * applied in batches (everything that arrived while a batch ran forms the next batch, in arrival
 * order), a failed batch retried whole after a back-off and, after the last attempt, counted and
 * logged as dead-lettered. A consumer error never escapes into the process.
 */
export class LocalPipelineQueue {
  #pending: PipelineEvent[] = [];
  #running: Promise<void> | undefined;
  #failures = 0;
  #batches = 0;

  constructor(
    private readonly consume: (events: readonly PipelineEvent[]) => Promise<unknown>,
    private readonly log: (line: string) => void,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Adds events; the consumer picks them up with whatever else is waiting. */
  push(...events: PipelineEvent[]): void {
    this.#pending.push(...events);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves once the queue is empty and no batch is running. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Batches given up after every attempt failed. */
  failures(): number {
    return this.#failures;
  }

  /** Batches applied (or given up) so far. */
  batches(): number {
    return this.#batches;
  }

  async #drain(): Promise<void> {
    // Let events of the same tick (a burst of uploads answered together) join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      await this.#apply(batch);
      this.#batches += 1;
    }
  }

  async #apply(batch: readonly PipelineEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.consume(batch);
        return;
      } catch (error) {
        if (attempt >= this.retry.attempts) {
          this.#failures += 1;
          this.log(`publish: batch of ${batch.length} event(s) given up: ${String(error)}`);
          return;
        }
        this.log(`publish: batch of ${batch.length} event(s) failed, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, this.retry.delayMs(attempt)));
      }
    }
  }
}
