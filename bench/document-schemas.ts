// `npx tsx bench/document-schemas.ts`: what checking state documents against their schemas costs.
// 10,000 records, each with a whole stored release (the generated archive the build bench uses),
// are parsed from their JSON bytes and checked with `releaseRecordSchema`, as the pipeline reads
// a record on every upload. Prints CPU ms (user + sys) for JSON.parse alone and for the schema
// check alone, and their ratio, measured in the same run.
import { cpuUsage } from 'node:process';
import * as v from 'valibot';
import { releaseRecordSchema } from '../src/pipeline/records.js';
import { storeRelease } from '../src/pipeline/stored-release.js';
import { parseRelease } from '../src/release/parse.js';
import { BENCH_SITE, generateRelease } from './generate.js';

const COUNT = 10_000;
const ROUNDS = 5;

function recordBytes(index: number): string {
  const { path, text } = generateRelease(index);
  const parsed = parseRelease(path, new TextEncoder().encode(text), BENCH_SITE);
  if (!parsed.ok) throw new Error(`generated release ${path} was rejected`);
  const release = storeRelease(parsed.release, parsed.release.published.toISOString());
  return JSON.stringify({ version: 1, key: `releases/${path}`, release, lingering: [] });
}

function cpuMs(run: () => void): number {
  const before = cpuUsage();
  run();
  const used = cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const texts = Array.from({ length: COUNT }, (_, index) => recordBytes(index));
const documents = texts.map((text) => JSON.parse(text) as unknown);
const megabytes = texts.reduce((sum, text) => sum + text.length, 0) / 1e6;

const parseMs: number[] = [];
const checkMs: number[] = [];
function parseAll(): void {
  for (const text of texts) JSON.parse(text);
}

function checkAll(): void {
  for (const document of documents) {
    if (!v.safeParse(releaseRecordSchema, document).success) throw new Error('invalid record');
  }
}

for (let round = 0; round < ROUNDS; round += 1) {
  parseMs.push(cpuMs(parseAll));
  checkMs.push(cpuMs(checkAll));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
const parse = median(parseMs);
const check = median(checkMs);
console.log(`${COUNT} records, ${megabytes.toFixed(1)} MB of JSON, median of ${ROUNDS} rounds:`);
console.log(`JSON.parse ${parse.toFixed(0)} ms CPU, schema check ${check.toFixed(0)} ms CPU`);
console.log(
  `check per record ${((check / COUNT) * 1000).toFixed(1)} µs; check/parse ${(check / parse).toFixed(2)}`,
);
