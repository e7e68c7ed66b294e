import { freshCliBundle } from '../../scripts/cli-bundle.mjs';

/**
 * Once per test run, before any file: brings the CLI bundle up to date, so that every CLI process
 * the tests start runs it under plain `node` (tests/support/cli.ts) instead of transpiling the
 * sources under tsx each time.
 */
export default async function setup(): Promise<void> {
  await freshCliBundle();
}
