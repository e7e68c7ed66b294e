import * as v from 'valibot';
import type { WithdrawnRelease } from '../pages/withdrawn-page.js';
import type { BatchDocuments } from '../shared/document-store.js';
import { documentOf } from '../shared/document-store.js';
import type { Withdrawal } from '../site/build.js';
import { compareCodeUnits } from '../site/order.js';
import { withdrawalFields } from './document-schemas.js';
import { WITHDRAWN_PREFIX } from './state-keys.js';
import type { StoredRelease } from './stored-release.js';

/** What a withdrawn page shows of a deleted release, as JSON (instants as ISO 8601). */
export interface StoredWithdrawal {
  slug: string;
  title: string;
  lang: string;
  url: string;
  published: string;
  withdrawnAt: string;
}

/**
 * `state/withdrawn/<slug>.json`: the release last withdrawn from a page address, the record the
 * withdrawn page at `releases/<slug>.html` is rendered from. The pipeline writes it when a public
 * release is deleted; reconcile and any full build over the buckets read the folder, so both
 * render the same withdrawn pages. One document per address: a later withdrawal from the same
 * address (another file that claimed the slug since) replaces it.
 */
export interface WithdrawnDoc extends StoredWithdrawal {
  version: 1;
  /** The source key the release was deleted from. */
  key: string;
}

/** Where the withdrawal at `slug` is kept. */
export function withdrawnKey(slug: string): string {
  return `${WITHDRAWN_PREFIX}${slug}.json`;
}

/** What the withdrawn page of `release`, deleted at `now`, will show. */
export function withdrawalOf(release: StoredRelease, now: Date): StoredWithdrawal {
  const { slug, title, lang, url, published } = release;
  return { slug, title, lang, url, published, withdrawnAt: now.toISOString() };
}

/** The withdrawal as the full build takes it. */
export function loadWithdrawal(doc: StoredWithdrawal): Withdrawal {
  const release: WithdrawnRelease = {
    slug: doc.slug,
    title: doc.title,
    lang: doc.lang,
    url: doc.url,
    published: new Date(doc.published),
  };
  return { release, withdrawnAt: new Date(doc.withdrawnAt) };
}

/**
 * Records the withdrawals of `keys` (their records' `withdrawn`) in `state/withdrawn/`, in the
 * batch's documents. A document already holding a later withdrawal (or this one: a retried batch)
 * is left as it is, so the newest withdrawal from an address wins however batches interleave.
 */
export async function recordWithdrawals(
  docs: BatchDocuments,
  keys: readonly { key: string; withdrawn?: StoredWithdrawal | undefined }[],
): Promise<void> {
  for (const { key, withdrawn } of keys) {
    if (withdrawn === undefined) continue;
    const at = withdrawnKey(withdrawn.slug);
    const current = await docs.get(at, withdrawnDocSchema);
    if (current !== undefined && !isLater({ ...withdrawn, key }, current)) continue;
    docs.set<WithdrawnDoc>(at, { version: 1, key, ...withdrawn });
  }
}

function isLater(
  a: Pick<WithdrawnDoc, 'withdrawnAt' | 'key'>,
  b: Pick<WithdrawnDoc, 'withdrawnAt' | 'key'>,
): boolean {
  const byTime = compareCodeUnits(a.withdrawnAt, b.withdrawnAt);
  return byTime > 0 || (byTime === 0 && compareCodeUnits(a.key, b.key) > 0);
}

/** `state/withdrawn/<slug>.json`. */
export const withdrawnDocSchema = documentOf<WithdrawnDoc>(
  v.looseObject({ version: v.literal(1), key: v.string(), ...withdrawalFields }),
);
