import type { Release } from '../release/types.js';
import { shortHash } from '../shared/text.js';
import { type DeliveryDeps, type DeliveryResult, deliver } from './deliver.js';
import { resolveSendLimits, type SendLimits } from './limits.js';
import {
  DEFAULT_SCHEDULE,
  type DigestSchedule,
  type DigestWindow,
  digestWindow,
} from './schedule.js';
import type { DigestFrequency, ReleaseSource, SendQuota } from './types.js';

/** Ports and settings shared by scheduled digests and immediate mail. */
export interface MailRunOptions extends Omit<DeliveryDeps, 'sendRate' | 'dailyBudget'> {
  /** `SES_SEND_RATE` (messages per second), when configured. */
  sendRate?: number;
  /** SES `GetSendQuota` (see `sesSendQuota`); omitted for local endpoints, which never answer. */
  quota?: (signal: AbortSignal) => Promise<SendQuota>;
  quotaTimeoutMs?: number;
}

/** Options of {@link runDigest}. */
export interface DigestRunOptions extends MailRunOptions {
  frequency: DigestFrequency;
  releases: ReleaseSource;
  /** The instant the run is for (the scheduled time); default now. A late run keeps its slot. */
  at?: Date;
  schedule?: DigestSchedule;
  /**
   * An explicit window instead of the scheduled one (the local stack's demo run, backfills); its
   * `runId` must be deterministic too, or a rerun sends again.
   */
  window?: DigestWindow;
}

/** What a digest run did: `nothing-new` when no release became public in its window. */
export type DigestRunResult =
  | (DeliveryResult & { window: DigestWindow; releases: number; limits: SendLimits })
  | {
      runId: string;
      status: 'nothing-new';
      window: DigestWindow;
      releases: 0;
    };

/**
 * One scheduled digest run (the function, `send-digest` and `npm start -- --once` call this): works
 * out the window of `frequency` at `at`, takes the releases that became public in it, and sends
 * each subscriber of that frequency one message with the releases they asked for. Calling it again
 * for the same slot resumes or does nothing; see {@link deliver} for the guarantees.
 */
export async function runDigest(options: DigestRunOptions): Promise<DigestRunResult> {
  const window =
    options.window ??
    digestWindow(
      options.frequency,
      options.at ?? options.clock(),
      options.schedule ?? DEFAULT_SCHEDULE,
    );
  const releases = await options.releases.publishedBetween(window.since, window.until);
  if (releases.length === 0) {
    return { runId: window.runId, status: 'nothing-new', window, releases: 0 };
  }
  const limits = await limitsOf(options);
  const result = await deliver(
    { runId: window.runId, kind: options.frequency, releases, slot: window.until },
    { ...options, sendRate: limits.rate, dailyBudget: limits.dailyBudget },
  );
  return { ...result, window, releases: releases.length, limits };
}

/** The deterministic run id of the immediate mail about one release. */
export function immediateRunId(release: Pick<Release, 'id'>): string {
  return `immediate-${shortHash(release.id, 20)}`;
}

/**
 * Immediate mail about one newly published release to its immediate subscribers. The run id comes
 * from the release id, so a repeated notice (or an edit of an already-sent release) sends nothing.
 */
export async function runImmediate(
  release: Release,
  options: MailRunOptions,
): Promise<DeliveryResult & { limits: SendLimits }> {
  const limits = await limitsOf(options);
  const result = await deliver(
    {
      runId: immediateRunId(release),
      kind: 'immediate',
      releases: [release],
      slot: release.published,
    },
    { ...options, sendRate: limits.rate, dailyBudget: limits.dailyBudget },
  );
  return { ...result, limits };
}

function limitsOf(options: MailRunOptions): Promise<SendLimits> {
  return resolveSendLimits({
    configuredRate: options.sendRate,
    quota: options.quota,
    timeoutMs: options.quotaTimeoutMs,
  });
}
