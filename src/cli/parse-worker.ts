// Worker-thread entry for parseReleaseFiles: claims batches of files until none are left and posts
// each batch's results as soon as it is parsed, then `null`; the thread then ends by itself.
import { parentPort, workerData } from 'node:worker_threads';
import { type ParseShare, parseClaimed } from './parse-files.js';

await parseClaimed(workerData as ParseShare, (batch) => parentPort?.postMessage(batch), false);
parentPort?.postMessage(null);
