import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SITE_INDEX_KEY } from '../../src/pipeline/state-keys.js';
import { readCategoryCatalog } from '../../src/subscribers/categories.js';
import { FileSystemObjectStore } from '../support/fs-object-store.js';

let dir: string;
let store: FileSystemObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsroom-categories-'));
  store = new FileSystemObjectStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('offers the categories the publishing pipeline indexed, in its order', async () => {
  await store.put(
    SITE_INDEX_KEY,
    JSON.stringify({
      version: 1,
      categories: [
        { slug: 'blogi', name: 'Blogi' },
        { slug: 'tiedote', name: 'Tiedote' },
        { slug: 42, name: 'not a category' },
      ],
      langs: ['fi'],
      years: [2026],
    }),
  );
  expect(await readCategoryCatalog(store)).toEqual([
    // Catalogue categories carry their label in every language for the preferences page.
    { slug: 'blogi', name: 'Blogi', names: { fi: 'Blogi', sv: 'Blogg', en: 'Blog' } },
    {
      slug: 'tiedote',
      name: 'Tiedote',
      names: { fi: 'Tiedote', sv: 'Pressmeddelande', en: 'Press release' },
    },
  ]);
});

it('offers nothing before anything is published or when the index is unreadable', async () => {
  expect(await readCategoryCatalog(store)).toEqual([]);
  await store.put(SITE_INDEX_KEY, '{not json');
  expect(await readCategoryCatalog(store)).toEqual([]);
});
