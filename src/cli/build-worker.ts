// Worker-thread entry for BuildThreads (src/cli/build-threads.ts): parses claimed batches of files
// and posts each batch's results, keeping nothing; then renders and writes the release pages it
// is sent (reading them back from the build's spill file), asking for the next batches
// ahead while it writes. Requests come one at a time.
import { parentPort } from 'node:worker_threads';
import type { SiteConfig } from '../site/config.js';
import { releasePageFile } from '../site/files.js';
import { type FromWorker, PAGES_AHEAD, type ToWorker, wholeRelease } from './build-threads.js';
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
      for (let ahead = 0; ahead < PAGES_AHEAD; ahead++) post({ type: 'want-pages' });
      break;
    case 'page-batch':
      if (pages === undefined) throw new Error('a page batch came before the pages request');
      post({ type: 'want-pages' });
      for (const release of message.releases) {
        pages.writer.write(releasePageFile(wholeRelease(release, pages.spillFd), pages.site));
      }
      break;
    case 'pages-end':
      // Every batch sent before this answer is written: messages arrive in order.
      if (pages !== undefined) post({ type: 'pages-done' });
      pages = undefined;
      break;
  }
});
