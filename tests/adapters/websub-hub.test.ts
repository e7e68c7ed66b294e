import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubRejectedError, websubHub } from '../../src/adapters/websub-hub.js';
import { startTestHub, type TestHub } from '../support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.stop();
});

describe('websubHub', () => {
  it('sends one form-encoded publish notification per topic', async () => {
    hub.pings.length = 0;
    hub.status = 204;
    const topics = [
      'https://t.example/feeds/atom.xml',
      'https://t.example/feeds/lang/sv/feed.json',
    ];
    await websubHub(hub.url).publish(topics);
    expect(hub.pings).toHaveLength(2);
    for (const ping of hub.pings) {
      expect(ping.contentType).toBe('application/x-www-form-urlencoded');
      expect(ping.form['hub.mode']).toBe('publish');
    }
    expect(hub.pings.map((ping) => ping.form['hub.url']).sort()).toEqual(topics.sort());
  });

  it('rejects, naming the status, when the hub does not accept', async () => {
    hub.status = 503;
    const failure = await websubHub(hub.url)
      .publish(['https://t.example/feeds/rss.xml'])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(AggregateError);
    const [cause] = (failure as AggregateError).errors;
    expect(cause).toBeInstanceOf(HubRejectedError);
    expect(String(cause)).toContain('answered 503 for https://t.example/feeds/rss.xml');
  });

  it('rejects when nothing listens at the hub address', async () => {
    const closed = await startTestHub();
    await closed.stop();
    await expect(
      websubHub(closed.url).publish(['https://t.example/feeds/atom.xml']),
    ).rejects.toThrow(/1 of 1 not accepted/);
  });
});
