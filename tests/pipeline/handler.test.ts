import { describe, expect, it } from 'vitest';
import { EventShapeError } from '../../src/pipeline/s3-event.js';
import { parseFeed } from '../support/feed-check.js';
import { expectMatchesFullBuild, releaseText, s3Record, testPipeline, text } from './harness.js';

describe('publish-release handler', () => {
  it('fails the whole batch when a write fails, and the redelivered batch completes it', async () => {
    const t = await testPipeline();
    const records = [];
    for (const name of ['a', 'b', 'c']) {
      records.push(
        await t.upload(
          `releases/${name}.md`,
          releaseText(name.toUpperCase(), '2025-01-01 10:00'),
          false,
        ),
      );
    }
    const put = t.publicSite.put.bind(t.publicSite);
    t.publicSite.put = async (path, body, options) => {
      if (path === 'releases/b.html') throw new Error('S3 is having a bad day');
      return put(path, body, options);
    };
    await expect(t.handle({ Records: records })).rejects.toThrow('S3 is having a bad day');
    expect(await t.publicSite.get('releases/b.html')).toBeUndefined();

    // The queue delivers the same batch again: it completes what the failed one left undone.
    t.publicSite.put = put;
    await t.handle({ Records: records });
    expect(await text(t.publicSite, 'releases/b.html')).toContain('<h1>B</h1>');
    const titles = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries.map(
      (e) => e.title,
    );
    expect(titles.sort()).toEqual(['A', 'B', 'C']);
    await expectMatchesFullBuild(t);
  });

  it('rejects malformed events and ignores keys that are not release files', async () => {
    const t = await testPipeline();
    await expect(t.handle({ Records: 'nope' })).rejects.toBeInstanceOf(EventShapeError);
    await t.bucket.put('releases/kuva.png', 'png');
    await t.handle({
      Records: [
        s3Record(t.bucketName, 'releases/kuva.png', 'created'),
        s3Record(t.bucketName, 'muut/x.md', 'created'),
      ],
    });
    expect(t.logs.map((log) => log.fields?.key)).toEqual(['releases/kuva.png', 'muut/x.md']);
    expect(await t.publicSite.get('index.html')).toBeUndefined();
  });

  it('treats a rejected release as a report, not a failure', async () => {
    const t = await testPipeline();
    await expect(t.upload('releases/rikki.md', 'ei otsikkoa\n')).resolves.toBeDefined();
    expect(await t.bucket.get('reports/releases/rikki.md.json')).toBeDefined();
  });
});
