// `npm run newsroom -- …`: runs the CLI from an esbuild bundle in dist/cli/, built on first use
// and again whenever a file it was built from has changed. Plain JavaScript on purpose: the point
// is to start without compiling TypeScript at run time. A bundle starts in a fraction of tsx's
// time, and its build worker threads need no TypeScript loader of their own, so a full build
// puts both cores to work sooner.
import { pathToFileURL } from 'node:url';
import { freshCliBundle } from './cli-bundle.mjs';

await import(pathToFileURL(await freshCliBundle()).href);
