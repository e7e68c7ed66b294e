// Worker-thread entry for parseReleaseFiles: parses its share of the files and posts the results.
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseOptions } from '../release/parse.js';
import type { ReleaseFileRef } from './files.js';
import { parseInProcess } from './parse-files.js';

const { refs, options } = workerData as { refs: ReleaseFileRef[]; options: ParseOptions };
parentPort?.postMessage(await parseInProcess(refs, options));
