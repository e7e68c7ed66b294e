import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';

/**
 * The local stack on free ports over a fresh releases folder, as `npm start -- --once` runs it,
 * with staff mail on. `stop()` stops the stack and removes the folder.
 */
export async function startFolderStack(
  prefix: string,
  staffEmail: string,
  log?: (line: string) => void,
): Promise<{ dir: string; stack: LocalStack; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const stack = await startLocalStack({
    s3Port: 0,
    sesPort: 0,
    webPort: 0,
    releasesDir: dir,
    once: true,
    staffEmail,
    ...(log === undefined ? {} : { log }),
  });
  const stop = async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, stack, stop };
}
