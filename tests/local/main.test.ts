import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm start -- --once', () => {
  it('publishes examples/releases, prints the URLs and a summary, and exits 0', async () => {
    // Without --openssl-legacy-provider in the environment: main.ts must re-exec itself.
    const env: NodeJS.ProcessEnv = { ...process.env, S3_PORT: '0', SES_PORT: '0', WEB_PORT: '0' };
    delete env.NODE_OPTIONS;
    {
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', join(ROOT, 'src/local/main.ts'), '--once'],
          { cwd: ROOT, env, timeout: 120_000 },
          (error, out) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out }),
        );
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(/Front page {3}http:\/\/localhost:\d+\//);
      expect(stdout).toMatch(/Feeds {8}http:\/\/localhost:\d+\/feeds\/atom\.xml/);
      expect(stdout).toMatch(/Mail viewer {2}http:\/\/127\.0\.0\.1:\d+\//);
      expect(stdout).toMatch(/Published \d+ of \d+ release file\(s\); \d+ public files\./);
      expect(stdout).not.toContain('Watching');
    }
  }, 150_000);
});
