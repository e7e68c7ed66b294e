import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { ReleaseTranslation } from '../release/types.js';
import type { BatchDocuments } from '../shared/document-store.js';
import { documentOf } from '../shared/document-store.js';
import { compareCodeUnits } from '../site/order.js';
import { translationsAmong } from '../site/translations.js';
import type { Placement, ReleaseRecord } from './records.js';
import { releaseRecordSchema } from './records.js';
import { recordKey, TRANSLATIONS_PREFIX } from './state-keys.js';
import type { StoredRelease } from './stored-release.js';

/** A public language version in a translation group: what its translations link to. */
interface TranslationMember {
  key: string;
  lang: string;
  url: string;
  title: string;
  published: string;
  sourcePath: string;
}

/**
 * `state/translations/<sha256(translationKey)>.json`: every public release sharing one
 * `translationKey`, by source key. A batch that touches a version rewrites its group and, through
 * it, the pages, feed entries and sitemap alternates of the other versions, without a scan: the
 * cost of an upload grows with its number of languages, not with the archive.
 */
export interface TranslationGroupDoc {
  version: 1;
  translationKey: string;
  entries: TranslationMember[];
}

/** Where the group of `translationKey` is kept (a digest: any key maps to a safe name). */
export function translationGroupKey(translationKey: string): string {
  const digest = createHash('sha256').update(translationKey, 'utf8').digest('hex').slice(0, 40);
  return `${TRANSLATIONS_PREFIX}${digest}.json`;
}

/** One key of the batch: its public release (if any) and every placement it may still hold. */
export interface TouchedKey {
  key: string;
  publicRelease: StoredRelease | undefined;
  placements: readonly Placement[];
}

/**
 * Brings the translation groups of `touched` up to date in the batch's documents (each group
 * the keys were or are in: their placements carry old and new translation keys) and returns them
 * by translation key.
 */
export async function updateTranslationGroups(
  docs: BatchDocuments,
  touched: readonly TouchedKey[],
): Promise<Map<string, TranslationGroupDoc>> {
  const keys = new Set(touched.map((t) => t.key));
  const names = new Set(
    touched.flatMap((t) => t.placements.flatMap((p) => p.translationKey ?? [])),
  );
  const groups = new Map<string, TranslationGroupDoc>();
  for (const translationKey of names) {
    const at = translationGroupKey(translationKey);
    const stored = await docs.get(at, translationGroupDocSchema);
    const entries = (stored?.entries ?? []).filter((entry) => !keys.has(entry.key));
    for (const { key, publicRelease } of touched) {
      if (publicRelease?.translationKey === translationKey) {
        entries.push(memberOf(key, publicRelease));
      }
    }
    entries.sort((a, b) => compareCodeUnits(a.key, b.key));
    const group: TranslationGroupDoc = { version: 1, translationKey, entries };
    docs.set(at, group);
    groups.set(translationKey, group);
  }
  return groups;
}

/**
 * The other versions in `groups` that the batch did not touch, with their records: their pages,
 * feed entries and sitemap alternates link the touched ones, so they are rendered again.
 */
export async function partnersOf(
  docs: BatchDocuments,
  groups: ReadonlyMap<string, TranslationGroupDoc>,
  touched: ReadonlySet<string>,
): Promise<{ key: string; record: ReleaseRecord | undefined }[]> {
  const keys = new Set<string>();
  for (const group of groups.values()) {
    for (const entry of group.entries) if (!touched.has(entry.key)) keys.add(entry.key);
  }
  return Promise.all(
    [...keys].sort(compareCodeUnits).map(async (key) => ({
      key,
      record: await docs.get(recordKey(key), releaseRecordSchema),
    })),
  );
}

/** `release` with the translations its group links (none: the release as stored, without any). */
export function linkedRelease(
  release: StoredRelease,
  groups: ReadonlyMap<string, TranslationGroupDoc>,
): StoredRelease {
  const group =
    release.translationKey === undefined ? undefined : groups.get(release.translationKey);
  const members = (group?.entries ?? []).map((entry) => ({
    ...entry,
    published: new Date(entry.published),
  }));
  return withTranslations(release, translationsAmong(release.lang, members));
}

/** `release` carrying `translations` (the field left out when there are none). */
export function withTranslations(
  release: StoredRelease,
  translations: readonly ReleaseTranslation[],
): StoredRelease {
  const { translations: _old, ...rest } = release;
  return translations.length === 0 ? rest : { ...rest, translations };
}

/**
 * The groups the full set of public releases makes (reconcile's reference), by translation key,
 * and each release linked as the pipeline links it.
 */
export function groupsOfVisible(visible: ReadonlyMap<string, StoredRelease>): {
  groups: Map<string, TranslationGroupDoc>;
  linked: Map<string, StoredRelease>;
} {
  const groups = new Map<string, TranslationGroupDoc>();
  for (const [key, release] of visible) {
    const translationKey = release.translationKey;
    if (translationKey === undefined) continue;
    const group = groups.get(translationKey) ?? { version: 1, translationKey, entries: [] };
    group.entries.push(memberOf(key, release));
    groups.set(translationKey, group);
  }
  for (const group of groups.values()) {
    group.entries.sort((a, b) => compareCodeUnits(a.key, b.key));
  }
  const linked = new Map<string, StoredRelease>();
  for (const [key, release] of visible) linked.set(key, linkedRelease(release, groups));
  return { groups, linked };
}

function memberOf(key: string, release: StoredRelease): TranslationMember {
  const { lang, url, title, published, sourcePath } = release;
  return { key, lang, url, title, published, sourcePath };
}

/** `state/translations/…`: the public versions sharing one `translationKey`. */
export const translationGroupDocSchema = documentOf<TranslationGroupDoc>(
  v.looseObject({
    version: v.literal(1),
    translationKey: v.string(),
    entries: v.array(
      v.looseObject({
        key: v.string(),
        lang: v.string(),
        url: v.string(),
        title: v.string(),
        published: v.string(),
        sourcePath: v.string(),
      }),
    ),
  }),
);
