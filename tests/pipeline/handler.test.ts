import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFailedError } from '../../src/pipeline/handlers.js';
import { EventShapeError } from '../../src/pipeline/s3-event.js';
import { parseFeed } from '../support/feed-check.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';
import { releaseText, s3Record, testPipeline, text } from './harness.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

describe('publish-release handler', () => {
  it('handles every record even when one fails, then throws so Lambda retries', async () => {
    const t = await testPipeline(s3);
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
    const failure = await t.handle({ Records: records }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventFailedError);
    expect((failure as EventFailedError).errors).toHaveLength(1);
    const titles = parseFeed((await text(t.publicSite, 'feeds/atom.xml')) ?? '').entries.map(
      (e) => e.title,
    );
    expect(titles).toEqual(expect.arrayContaining(['A', 'C']));

    // The retry (the same event again) completes the failed record.
    t.publicSite.put = put;
    await t.handle({ Records: records });
    expect(await text(t.publicSite, 'releases/b.html')).toContain('<h1>B</h1>');
  });

  it('rejects malformed events and ignores keys that are not release files', async () => {
    const t = await testPipeline(s3);
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
    const t = await testPipeline(s3);
    await expect(t.upload('releases/rikki.md', 'ei otsikkoa\n')).resolves.toBeDefined();
    expect(await t.bucket.get('reports/releases/rikki.md.json')).toBeDefined();
  });
});
