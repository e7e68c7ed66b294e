// The I/O floor of a build, in a fresh process: read every release file, then write the files of
// a finished build (the same paths and bytes, held in memory beforehand) into a fresh folder.
// Prints the timed part's wall and CPU milliseconds as JSON; loading the finished build is not
// timed. No build can do less work than this.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [releases, built, out] = process.argv.slice(2);
if (!releases || !built || !out) throw new Error('usage: io-floor-child RELEASES BUILT OUT');

const list = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

const outputs = list(built).map((path) => ({
  path: join(out, path.slice(built.length)),
  bytes: readFileSync(path),
}));

const cpu = process.cpuUsage();
const started = performance.now();
let read = 0;
for (const path of list(releases).filter((name) => name.endsWith('.md'))) {
  read += readFileSync(path).byteLength;
}
const folders = new Set(outputs.map(({ path }) => dirname(path)));
for (const folder of folders) mkdirSync(folder, { recursive: true });
let written = 0;
for (const { path, bytes } of outputs) {
  writeFileSync(path, bytes);
  written += bytes.byteLength;
}
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    ms: performance.now() - started,
    userMs: user / 1000,
    systemMs: system / 1000,
    files: outputs.length,
    read,
    written,
  }),
);
