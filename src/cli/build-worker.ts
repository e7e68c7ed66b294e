// Worker-thread entry for BuildThreads (src/cli/build-threads.ts): parses claimed batches of files
// and posts each batch's results, keeping nothing; then renders and writes the release pages and
// archive months it is sent (reading the releases back from the build's spill file), asking for
// the next work ahead while it writes. Requests come one at a time.
import { parentPort } from 'node:worker_threads';
import type { SiteConfig } from '../site/config.js';
import { type FromWorker, type ToWorker, WORK_AHEAD, workFiles } from './build-threads.js';
import { SiteWriter } from './files.js';
import { finishFor, parseClaimed } from './parse-files.js';

const post = (message: FromWorker) => parentPort?.postMessage(message);
let pages: { site: SiteConfig; writer: SiteWriter; spillFd?: number } | undefined;

parentPort?.on('message', async (message: ToWorker) => {
  switch (message.type) {
    case 'parse':
      await parseClaimed(
        message.share,
        finishFor(message.share),
        (batch) => post({ type: 'parsed', batch }),
        false,
      );
      post({ type: 'parse-done' });
      break;
    case 'pages':
      pages = {
        site: message.site,
        writer: new SiteWriter(message.outDir),
        ...(message.spillFd === undefined ? {} : { spillFd: message.spillFd }),
      };
      for (let ahead = 0; ahead < WORK_AHEAD; ahead++) post({ type: 'want-work' });
      break;
    case 'work':
      if (pages === undefined) throw new Error('work came before the pages request');
      post({ type: 'want-work' });
      for (const file of workFiles(message.work, pages.site, pages.spillFd)) {
        pages.writer.write(file);
      }
      break;
    case 'pages-end':
      // Every batch sent before this answer is written: messages arrive in order.
      if (pages !== undefined) post({ type: 'pages-done' });
      pages = undefined;
      break;
  }
});
