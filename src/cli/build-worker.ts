// Worker-thread entry for BuildThreads (src/cli/build-threads.ts): parses claimed batches of files
// and posts each batch's results, keeping the releases; then renders and writes the pages it is
// asked for from the releases it kept. Requests come one at a time.
import { parentPort } from 'node:worker_threads';
import type { Release } from '../release/types.js';
import type { FromWorker, ToWorker } from './build-threads.js';
import { SiteWriter } from './files.js';
import { parseClaimed } from './parse-files.js';
import { writeClaimedPages } from './release-pages.js';

const kept = new Map<string, Release>();
const post = (message: FromWorker) => parentPort?.postMessage(message);

parentPort?.on('message', async (message: ToWorker) => {
  if (message.type === 'parse') {
    await parseClaimed(
      message.share,
      (batch) => {
        for (const result of batch.results) {
          if (result.ok) kept.set(result.release.sourcePath, result.release);
        }
        post({ type: 'parsed', batch });
      },
      false,
    );
    post({ type: 'parse-done' });
  } else {
    writeClaimedPages(message, kept, new SiteWriter(message.outDir));
    post({ type: 'pages-done' });
  }
});
