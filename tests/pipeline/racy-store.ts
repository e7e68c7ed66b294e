import type { PutOptions } from '../../src/shared/ports.js';
import { PreconditionFailedError } from '../../src/shared/ports.js';
import { ConditionEnforcingStore } from '../support/condition-enforcing-store.js';

/**
 * The fault-injecting double for the conditional-write path: a bucket (in memory, or on s3rver)
 * behind {@link ConditionEnforcingStore} (If-Match / If-None-Match enforced as real S3 does), plus a hook
 * that runs between a caller's read and its write, so a test can land a competing writer exactly
 * there. `enforce = false` shows what the conditions prevent: last writer wins.
 */
export class RacyStore extends ConditionEnforcingStore {
  /** Runs before each put is checked; a competing writer goes here. */
  beforePut?: (key: string, options: PutOptions) => Promise<void> | void;
  enforce = true;
  preconditionFailures = 0;
  readonly puts: string[] = [];

  override async put(
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<{ etag: string }> {
    await this.beforePut?.(key, options);
    this.puts.push(key);
    if (!this.enforce) {
      const { ifMatch: _m, ifNoneMatch: _n, ...plain } = options;
      return this.inner.put(key, body, plain);
    }
    try {
      return await super.put(key, body, options);
    } catch (error) {
      if (error instanceof PreconditionFailedError) this.preconditionFailures += 1;
      throw error;
    }
  }
}

/** Runs `race` the first time a put matches `when`, before that put is checked. */
export function raceOnce(
  store: RacyStore,
  when: (key: string, options: PutOptions) => boolean,
  race: () => Promise<unknown>,
): { fired: () => boolean } {
  let fired = false;
  store.beforePut = async (key, options) => {
    if (fired || !when(key, options)) return;
    fired = true;
    await race();
  };
  return { fired: () => fired };
}
