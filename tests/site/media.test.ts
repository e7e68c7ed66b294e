import { describe, expect, it } from 'vitest';
import type { MediaReference } from '../../src/media/types.js';
import { liveMedia, planSite } from '../../src/site/build.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';

const file = (sourcePath: string, published = true): MediaReference => ({
  sourcePath,
  publicPath: `media/${sourcePath}`,
  url: `${TEST_SITE.siteUrl}/media/${sourcePath}`,
  ...(published
    ? { file: { kind: 'image', contentType: 'image/png', length: 10, width: 1, height: 1 } }
    : {}),
});

describe('liveMedia', () => {
  it('lists each published file of the live releases once, by public path; embargoed and refused files stay out', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const releases = [
      makeRelease({ sourcePath: 'b.md', media: [file('yhteiset/logo.png'), file('b/kuva.png')] }),
      makeRelease({
        sourcePath: 'a.md',
        media: [file('yhteiset/logo.png'), file('a/puuttuu.png', false)],
      }),
      makeRelease({
        sourcePath: 'c.md',
        published: new Date('2025-12-24T00:00:00Z'),
        media: [file('c/salainen.png')],
      }),
    ];
    expect(liveMedia(planSite(releases, TEST_SITE, now).live)).toEqual([
      { publicPath: 'media/b/kuva.png', sourcePath: 'b/kuva.png' },
      { publicPath: 'media/yhteiset/logo.png', sourcePath: 'yhteiset/logo.png' },
    ]);
  });
});
