import type { BatchDocuments } from '../shared/document-store.js';
import { dueAt, embargoDocSchema } from './embargo.js';
import type { Placement } from './records.js';
import { compareSequencers, isReleaseKey } from './s3-event.js';
import { EMBARGO_KEY } from './state-keys.js';

/**
 * One message on the publishing queue. Everything that changes the public site is one of these,
 * and one consumer applies them in batches.
 */
export type PipelineEvent =
  /** An object under `releases/` was created or removed (S3's notification, decoded). */
  | { kind: 'object'; key: string; sequencer?: string; placements?: readonly Placement[] }
  /** The embargo tick: publish what has come due. */
  | { kind: 'due' }
  /** The nightly comparison of state with the buckets. */
  | { kind: 'reconcile' };

/** What a batch does for one key: the highest sequencer seen, and strays to clean. */
export interface KeyWork {
  sequencer?: string;
  placements: Placement[];
  /** A file the release references changed: parse and attach its media again. */
  reattach?: true;
}

/**
 * The keys a batch has to look at, each once: object events deduplicated per key (keeping the
 * highest sequencer, since each sync reads the object as it is now), plus the embargoed releases
 * that are due at `now` when the batch holds an embargo tick. Keys that are not release files
 * (media, hidden files) are left out here; the batch's "what changed" stays keyed by object key.
 */
export async function keysOfBatch(
  events: readonly PipelineEvent[],
  docs: BatchDocuments,
  now: Date,
): Promise<Map<string, KeyWork>> {
  const work = new Map<string, KeyWork>();
  const add = (key: string, sequencer?: string, placements: readonly Placement[] = []) => {
    const known = work.get(key) ?? { placements: [] };
    const highest =
      known.sequencer === undefined ||
      (sequencer !== undefined && compareSequencers(sequencer, known.sequencer) > 0)
        ? (sequencer ?? known.sequencer)
        : known.sequencer;
    work.set(key, {
      ...(highest === undefined ? {} : { sequencer: highest }),
      placements: [...known.placements, ...placements],
    });
  };
  for (const event of events) {
    if (event.kind === 'object' && isReleaseKey(event.key)) {
      add(event.key, event.sequencer, event.placements);
    }
  }
  if (events.some((event) => event.kind === 'due')) {
    const embargo = await docs.get(EMBARGO_KEY, embargoDocSchema);
    for (const entry of embargo ? dueAt(embargo, now) : []) add(entry.key);
  }
  return new Map([...work].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
