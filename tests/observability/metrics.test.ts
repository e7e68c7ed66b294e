import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] };
  [metric: string]: unknown;
}

let written: string[];

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function emfLines(): Emf[] {
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Emf);
}

describe('the counters', () => {
  it('counts the logged events an invocation saw and writes them as one EMF line', async () => {
    const { jsonLog } = await import('../../src/observability/log.js');
    const { jsonLogger } = await import('../../src/pipeline/deps.js');
    const { withMetrics } = await import('../../src/observability/metrics.js');
    const handler = withMetrics(async () => {
      jsonLogger('release synced', { key: 'a', change: 'accepted', public: true, warnings: 2 });
      jsonLogger('release synced', { key: 'b', change: 'accepted', public: false, warnings: 0 });
      jsonLogger('release synced', { key: 'c', change: 'rejected', public: false, warnings: 0 });
      jsonLogger('release synced', { key: 'd', change: 'unchanged', public: true, warnings: 1 });
      jsonLog({ level: 'info', event: 'subscribe.mailed' });
      jsonLog({ level: 'warn', event: 'subscribe.throttled' });
      jsonLog({ level: 'warn', event: 'subscribe.global-cap' });
      jsonLog({
        level: 'info',
        event: 'ses.permanent-bounce',
        suppressed: 2,
        counted: 0,
        unreadable: 1,
      });
      jsonLog({ level: 'info', event: 'ses.complaint', suppressed: 1, counted: 0, unreadable: 0 });
      jsonLog({ level: 'info', event: 'digest.run', runId: 'daily-1', status: 'done', sent: 40 });
      jsonLog({ level: 'info', event: 'immediate.run', runId: 'r', status: 'done', sent: 0 });
    });
    await handler();
    const lines = emfLines();
    expect(lines).toHaveLength(1);
    const [emf] = lines as [Emf];
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('Newsroom');
    const sum = (name: string) => [emf[name]].flat().reduce<number>((a, b) => a + Number(b), 0);
    expect(sum('Published')).toBe(1);
    expect(sum('Rejected')).toBe(1);
    expect(sum('Warned')).toBe(1);
    expect(sum('MailsSent')).toBe(41);
    expect(sum('ConfirmationLimitHits')).toBe(2);
    expect(sum('Bounced')).toBe(3);
    expect(sum('Complained')).toBe(1);
  });

  it('publishes counters even when the invocation throws, and nothing when nothing was counted', async () => {
    const { jsonLog } = await import('../../src/observability/log.js');
    const { withMetrics } = await import('../../src/observability/metrics.js');
    await withMetrics(async () => {})();
    expect(emfLines()).toEqual([]);
    const failing = withMetrics(async () => {
      jsonLog({ level: 'info', event: 'subscribe.mailed' });
      throw new Error('boom');
    });
    await expect(failing()).rejects.toThrow('boom');
    expect(emfLines()).toHaveLength(1);
  });
});

describe('the logger', () => {
  it('writes one compact JSON line per entry at its level, with every address and token redacted', async () => {
    const lines: { level: string; line: string }[] = [];
    for (const level of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((line: string) => lines.push({ level, line }));
    }
    const { jsonLog, logger } = await import('../../src/observability/log.js');
    jsonLog({
      level: 'warn',
      event: 'api.failed',
      message: 'rejected: anna@example.fi',
      url: '/x?token=abc-123',
    });
    jsonLog({ level: 'error', event: 'digest.quarantine-failed', key: 'k' });
    logger.debug('not at the default level');
    expect(lines.map((entry) => entry.level)).toEqual(['warn', 'error']);
    const first = JSON.parse(lines[0]?.line ?? '');
    expect(first).toMatchObject({ level: 'WARN', event: 'api.failed', service: 'newsroom' });
    expect(lines[0]?.line).not.toContain('anna@example.fi');
    expect(lines[0]?.line).not.toContain('abc-123');
    expect(first.url).toBe('/x?token=[token]');
    expect(first.detail_message).toBe('rejected: [address]');
    expect(lines[0]?.line).not.toContain('\n');
  });
});
