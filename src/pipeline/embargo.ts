import * as v from 'valibot';
import { documentOf } from '../shared/document-store.js';
import type { StoredRelease } from './stored-release.js';

/** A release stored but not yet public. */
export interface EmbargoEntry {
  key: string;
  /** ISO 8601: when it becomes public. */
  published: string;
}

/** Releases under embargo, soonest first. */
export interface EmbargoDoc {
  version: 1;
  entries: EmbargoEntry[];
}

/** No embargoed releases. */
export function emptyEmbargo(): EmbargoDoc {
  return { version: 1, entries: [] };
}

/** Whether a release is public at `now`. */
export function isPublicAt(release: Pick<StoredRelease, 'published'>, now: Date): boolean {
  return Date.parse(release.published) <= now.getTime();
}

/** The list after the release at `key` became `release` (`undefined`: gone), as seen at `now`. */
export function placeInEmbargo(
  doc: EmbargoDoc,
  key: string,
  release: StoredRelease | undefined,
  now: Date,
): EmbargoDoc {
  const entries = doc.entries.filter((entry) => entry.key !== key);
  if (release !== undefined && !isPublicAt(release, now)) {
    entries.push({ key, published: release.published });
    entries.sort((a, b) => Date.parse(a.published) - Date.parse(b.published) || cmp(a.key, b.key));
  }
  return { ...doc, entries };
}

/** The entries whose time has come at `now`. */
export function dueAt(doc: EmbargoDoc, now: Date): EmbargoEntry[] {
  return doc.entries.filter((entry) => Date.parse(entry.published) <= now.getTime());
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The embargo list: releases not yet public. */
export const embargoDocSchema = documentOf<EmbargoDoc>(
  v.looseObject({
    version: v.literal(1),
    entries: v.array(v.looseObject({ key: v.string(), published: v.string() })),
  }),
);
