// `npm run bench`: every benchmark in one run, printed and written to docs/benchmarks.md.
// `npm run bench -- build upload` runs only the named sections; the others keep the text the last
// run wrote for them, and the report's head says which sections this run measured.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BundleReport,
  bundleAll,
  checkBudget,
  compareFloors,
  MAX_BUNDLE_BYTES,
  MAX_INIT_RATIO,
} from '../scripts/bundle.js';
import { type BuildBench, type BuildRun, benchBuild } from './build.js';
import { benchDigest, type DigestBench } from './digest.js';
import { benchMime, type MimeBench } from './mime.js';
import { benchParse, type ParseBench } from './parse.js';
import { benchPipeline, burstTable, uploadCostTable } from './pipeline.js';
import { fixed, machineDescription, referenceWorkloadMs, table } from './report.js';
import { benchSuite, type SuiteBench } from './suite.js';
import { benchUpload, type UploadBenchRow, uploadTable } from './upload.js';

// Init samples per bundle, taken in rounds over all bundles (the machine's load swings).
const BUNDLE_RUNS = 9;

const SECTIONS = [
  'build',
  'parse',
  'upload',
  'pipeline',
  'bundles',
  'mime',
  'digest',
  'suite',
] as const;
type Section = (typeof SECTIONS)[number];

/** Headings this script writes; any other `## ` section in the report was written by hand. */
const GENERATED_HEADINGS = [
  '## Full build',
  '## Parsing',
  '## Per upload',
  '## Pipeline: bursts and archive size',
  '## Function bundles',
  '## MIME',
  '## Digest',
  '## Test suite',
];

const requested = process.argv
  .slice(2)
  .filter((arg): arg is Section => (SECTIONS as readonly string[]).includes(arg));
const wanted = new Set<Section>(requested.length > 0 ? requested : SECTIONS);

async function section<T>(name: Section, run: () => Promise<T>): Promise<T | undefined> {
  if (!wanted.has(name)) return undefined;
  process.stderr.write(`bench: ${name}…\n`);
  const started = performance.now();
  const result = await run();
  process.stderr.write(`bench: ${name} done in ${fixed((performance.now() - started) / 1000)} s\n`);
  return result;
}

const REPORT_PATH = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const previousReport = await readFile(REPORT_PATH, 'utf8').catch(() => '');

const gaugeBefore = referenceWorkloadMs();
const build = await section('build', () => benchBuild(10_000, 3));
const parse = await section('parse', async () => benchParse());
const upload = await section('upload', () => benchUpload());
const pipeline = await section('pipeline', () => benchPipeline());
const bundles = await section('bundles', () => bundleAll({ runs: BUNDLE_RUNS, floors: true }));
const mime = await section('mime', () => benchMime());
const digest = await section('digest', () => benchDigest());
const suite = await section('suite', () => benchSuite());
const gaugeAfter = referenceWorkloadMs();

const report = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts); re-run it after a change that could move a number.',
  'Every figure is a median of several runs on the machine below; each compares our way with the',
  'naive way measured in the same run.',
  '',
  machineDescription(),
  `- Machine speed during this run: a fixed reference workload (bench/report.ts) took ${fixed(gaugeBefore, 0)} ms before and ${fixed(gaugeAfter, 0)} ms after (lower is faster; compare runs by it).`,
  ...(wanted.size < SECTIONS.length
    ? [
        `- Sections measured in this run: ${[...wanted].join(', ')}. The others are kept as an earlier run wrote them.`,
      ]
    : []),
  '',
  buildSection(build),
  parseSection(parse),
  uploadSection(upload),
  pipelineSection(pipeline),
  bundleSection(bundles),
  mimeSection(mime),
  digestSection(digest),
  suiteSection(suite),
  ...handWrittenSections(),
].join('\n');

await writeFile(REPORT_PATH, report);
process.stdout.write(`${report}\n`);

function buildSection(result: BuildBench | undefined): string {
  if (!result) return keptSection('## Full build');
  const row = (name: string, run: BuildRun) => [
    name,
    fixed(run.ms / 1000, 2),
    fixed(run.releasesPerSecond, 0),
    fixed(run.peakRssMb, 0),
    `${fixed(run.userMs / 1000, 1)} + ${fixed(run.systemMs / 1000, 1)}`,
  ];
  const rows: (string | number)[][] = [
    row('newsroom `build` (CLI), first build (empty parse cache)', result.threaded),
    row(
      'newsroom `build` (CLI), files unchanged since the last build (warm parse cache)',
      result.warm,
    ),
    row('newsroom `build`, one thread, empty parse cache (naive)', result.oneThread),
  ];
  if (result.inMemory) {
    rows.push(row('newsroom `build` (CLI), output on /dev/shm (RAM)', result.inMemory));
  }
  if (result.hugo) {
    rows.push([
      `Hugo ${result.hugo.version} (pages, RSS of 50, sitemap)`,
      fixed(result.hugo.ms / 1000, 2),
      fixed(result.hugo.releasesPerSecond, 0),
      fixed(result.hugo.peakRssMb, 0),
      `${fixed(result.hugo.userMs / 1000, 1)} + ${fixed(result.hugo.systemMs / 1000, 1)}`,
    ]);
  }
  if (result.hugoInMemory) {
    rows.push(row('Hugo, output on /dev/shm (RAM)', result.hugoInMemory));
  }
  const { threaded, warm, oneThread, phases, ioFloor } = result;
  rows.push([
    'I/O floor: read the same inputs, write the same files and bytes (timed in-process)',
    fixed(ioFloor.ms / 1000, 2),
    fixed((result.releases / ioFloor.ms) * 1000, 0),
    '',
    `${fixed(ioFloor.userMs / 1000, 1)} + ${fixed(ioFloor.systemMs / 1000, 1)}`,
  ]);
  const cpu = (run: { userMs: number; systemMs: number }) => run.userMs + run.systemMs;
  const vsFloor = `A first build runs at ${fixed((100 * ioFloor.ms) / threaded.ms, 0)}% of the I/O floor's speed in wall time, a build of unchanged files at ${fixed((100 * ioFloor.ms) / warm.ms, 0)}% (${ioFloor.files.toLocaleString('en')} files, ${fixed(ioFloor.bytesWritten / 1e6, 1)} MB written; target ≥ 70%), spending ${fixed(cpu(threaded) / cpu(ioFloor), 2)}× and ${fixed(cpu(warm) / cpu(ioFloor), 2)}× its CPU time; the floor leaves out node's start-up, which the build rows include.`;
  const hugoCpu = result.hugo && result.hugo.userMs + result.hugo.systemMs;
  const vsHugo = result.hugo
    ? `A first build makes ${fixed(threaded.releasesPerSecond / result.hugo.releasesPerSecond, 2)}× as many releases per second as Hugo on the same files (${fixed((hugoCpu ?? 0) / cpu(threaded), 2)}× in CPU time), a build of unchanged files ${fixed(warm.releasesPerSecond / result.hugo.releasesPerSecond, 2)}× (${fixed((hugoCpu ?? 0) / cpu(warm), 2)}× in CPU time); target ≥ 1.3×. Hugo builds less (pages, one RSS feed per year section and the site, a sitemap; no Atom, JSON Feed, per-category or per-language feeds, no sanitizing). Hugo is configured fairly (bench/build.ts \`hugoConfig\`): the same feed limit (50), release pages at our URLs (\`releases/<year>-<file>.html\`), raw HTML kept, a fresh output folder each round.`
    : 'Hugo is not installed (`apt-get install hugo`), so there is no comparison in this run.';
  const inRam =
    result.inMemory && result.hugoInMemory
      ? ` With both writing into RAM (/dev/shm), where the disk's state cannot favour either, a first build makes ${fixed(result.inMemory.releasesPerSecond / result.hugoInMemory.releasesPerSecond, 2)}× Hugo's releases per second (${fixed(cpu(result.hugoInMemory) / cpu(result.inMemory), 2)}× in CPU time).`
      : '';
  return [
    '## Full build',
    '',
    `${result.releases.toLocaleString('en')} generated releases (bench/generate.ts: ${fixed(result.markdownMb, 1)} MB of Markdown with front matter; dates spread evenly over 2005–2025, Finnish, Swedish and English, four types, one in ten with a raw-HTML table, one in ten a long body, a third with a lead image, links and images in bodies), built from files to a folder by \`npm run newsroom -- build\` (the launcher and its bundle in a fresh process, npm's own start-up excluded; one thread: \`NEWSROOM_BUILD_THREADS=1\`), timed with GNU time like Hugo; median of ${result.runs} rounds in which every builder takes a turn. Target: ≥ 2,000 releases/s and < 512 MB.`,
    '',
    table(['builder', 'seconds', 'releases/s', 'peak RSS MB', 'CPU s (user + system)'], rows),
    '',
    `Threads make a first build ${fixed(oneThread.ms / threaded.ms, 2)}× as fast as one thread. ${vsHugo}${inRam} ${vsFloor} Every row writes into a fresh output folder; the warm row differs only in finding the parse results of the same files, by the same code, in the parse cache (dist/cache/), as every build after the first does; a first build also writes that cache.`,
    '',
    `CPU per release on one thread: parse ${fixed(phases.parse, 3)} ms, render ${fixed(phases.build, 3)} ms, write ${fixed(phases.write, 3)} ms. System time is mostly the kernel creating 10,000+ files. On this machine's ext4 (no journal) it grows with every file deleted in the last 12 hours (the allocator skips recently freed inodes one by one), so it depends on what ran before; the /dev/shm row is the same build without that cost. Outputs stay until the bench ends, so one run does not slow the next.`,
    '',
  ].join('\n');
}

function parseSection(result: ParseBench | undefined): string {
  if (!result) return keptSection('## Parsing');
  const { markdownIt, ours, table: cut } = result;
  const vsMarkdown = cut.with / cut.markdown;
  const vsCut = cut.with / cut.without;
  return [
    '## Parsing',
    '',
    `${result.releases.toLocaleString('en')} generated releases parsed in this process (\`parseRelease\`: decode, front matter, Markdown, sanitizing, media references), next to stock markdown-it rendering the same bodies alone. CPU time of this process (steady on a busy machine, unlike wall time), median of 7 rounds in which every way takes a turn.`,
    '',
    `The ${result.withTable} releases with a raw-HTML table are compared with the same releases written without raw HTML: the same table as a Markdown (GFM pipe) table with the same cells, the way a release without raw HTML carries a table. Target: a release with raw HTML ≤ 1.15× the cost of one without; measured ${fixed(vsMarkdown, 2)}× against the Markdown table (${vsMarkdown <= 1.15 ? 'met' : 'not met'}). For reference, against the same releases with the table cut out, which drops its words too and so charges raw HTML for the cost of text, it is ${fixed(vsCut, 2)}×; the last row keeps the table's words as plain text without its tags.`,
    '',
    table(
      ['what', 'CPU ms per release', 'ratio'],
      [
        ['markdown-it `render` alone', fixed(markdownIt, 3), '1.00×'],
        ['newsroom `parseRelease`', fixed(ours, 3), `${fixed(ours / markdownIt, 2)}×`],
        ['with a raw-HTML table', fixed(cut.with, 3), `${fixed(vsMarkdown, 2)}× (target ≤ 1.15×)`],
        ['the same table in Markdown (GFM), same cells', fixed(cut.markdown, 3), '1.00×'],
        [
          'the same without the table (its words gone too)',
          fixed(cut.without, 3),
          `${fixed(cut.without / cut.markdown, 2)}× (raw HTML ${fixed(vsCut, 2)}× of it)`,
        ],
        [
          'the same with the table’s words but not its tags',
          fixed(cut.wordsOnly, 3),
          `${fixed(cut.wordsOnly / cut.markdown, 2)}× (raw HTML ${fixed(cut.with / cut.wordsOnly, 2)}× of it)`,
        ],
      ],
    ),
    '',
  ].join('\n');
}

function uploadSection(rows: UploadBenchRow[] | undefined): string {
  if (!rows) return keptSection('## Per upload');
  return [
    '## Per upload',
    '',
    'One S3 event handled by publish-release against the local S3 server (s3rver), next to a naive full rebuild (list and read every release, render, write everything). Requests are counted at the S3 client.',
    '',
    uploadTable(rows),
    '',
  ].join('\n');
}

function pipelineSection(result: Awaited<ReturnType<typeof benchPipeline>> | undefined): string {
  if (!result) return keptSection('## Pipeline: bursts and archive size');
  return [
    '## Pipeline: bursts and archive size',
    '',
    'bench/pipeline.ts against s3rver in its own process; requests and bytes (bodies as sent and received) counted at the S3 client, CPU is the publisher process only. Bursts: uploads of new 2026 releases into an archive of 1,000, drained as one batch (the local stack), in batches of 10 (the SQS FIFO trigger) and one event per batch (how the pipeline worked before batching).',
    '',
    burstTable(result.burstRows),
    '',
    'One upload into archives of 10,000 and 50,000 releases published ~3 a day (9 and 45 years), median of 3: a new release of the current month, and an edit of a release from years back.',
    '',
    uploadCostTable(result.uploadRows),
    '',
  ].join('\n');
}

function bundleSection(all: BundleReport[] | undefined): string {
  if (!all) return keptSection('## Function bundles');
  const budget = checkBudget(all);
  const reports = all.filter((r) => r.floorOf === undefined);
  const fastest = budget.fastest?.initCpuMs ?? Number.NaN;
  const kb = (bytes: number) => `${fixed(bytes / 1000, 0)} KB`;
  return [
    '## Function bundles',
    '',
    `Each function bundled on its own by esbuild with the options in serverless.yml (\`npm run bundle\`; the MJML templates are compiled before, at build time); init is the time to import the bundle in a fresh \`node\` process, a cold-start proxy, as wall time and as the process’s own CPU time (steadier on a busy machine; the budget is checked on it), median of ${BUNDLE_RUNS} taken in rounds over all bundles. Targets: every bundle < 1 MB, no mjml, init ≤ ${MAX_INIT_RATIO}× the fastest function’s.`,
    '',
    table(
      [
        'function',
        'bytes',
        'headroom to 1 MB',
        'contains mjml',
        'init ms',
        'init CPU ms',
        'CPU ÷ fastest',
        'largest parts',
      ],
      reports.map((r) => [
        r.name,
        r.bytes.toLocaleString('en'),
        kb(MAX_BUNDLE_BYTES - r.bytes),
        r.containsMjml ? 'yes' : 'no',
        fixed(r.initMs, 0),
        fixed(r.initCpuMs, 0),
        `${fixed(r.initCpuMs / fastest, 2)}×`,
        r.parts
          .slice(0, 4)
          .map((part) => `${part.name} ${kb(part.bytes)}`)
          .join(', '),
      ]),
    ),
    '',
    `Largest bundle ${fixed(Math.max(...reports.map((r) => r.bytes)) / 1e6, 2)} MB (${budget.oversized.length === 0 ? 'all under 1 MB' : `over 1 MB: ${budget.oversized.join(', ')}`}); mjml in ${budget.withMjml.length === 0 ? 'no function' : budget.withMjml.join(', ')}; init over ${MAX_INIT_RATIO}× the fastest (${budget.fastest?.name}): ${budget.slowInit.length === 0 ? 'none' : budget.slowInit.map((s) => `${s.name} ${fixed(s.ratio, 2)}×`).join(', ')}.`,
    '',
    '### Init floors',
    '',
    `What no function can leave out of its cold start, measured in the same rounds (scripts/bundle.ts \`INIT_FLOORS\`): a stand-in handler that only creates the function’s AWS SDK clients and, where the function writes local dates, checks the site’s time zone as the configuration does (the first \`Intl.DateTimeFormat\` with a time zone loads ICU’s zone data, which such a function needs on its first invocation anyway). The fastest functions, publish-due and reconcile, are an SQS client and nothing else; a function that also needs S3 and writes local dates starts at or above ${MAX_INIT_RATIO}× of them before any of its own code runs.`,
    '',
    table(
      [
        'floor',
        'bytes',
        'init CPU ms',
        'CPU ÷ fastest',
        'functions on it (CPU ÷ fastest, own init above the floor)',
      ],
      compareFloors(all).map((comparison) => {
        const floor = all.find((r) => r.name === comparison.floor);
        const floorCpu = floor?.initCpuMs ?? Number.NaN;
        return [
          comparison.floor,
          (floor?.bytes ?? 0).toLocaleString('en'),
          fixed(floorCpu, 0),
          `${fixed(comparison.ratio, 2)}×`,
          comparison.functions
            .map((f) => {
              const own =
                (reports.find((r) => r.name === f.name)?.initCpuMs ?? Number.NaN) - floorCpu;
              const sign = own < 0 ? '−' : '+';
              return `${f.name} ${fixed(f.ratio, 2)}× (${sign}${fixed(Math.abs(own), 0)} ms)`;
            })
            .join(', '),
        ];
      }),
    ),
    '',
  ].join('\n');
}

function digestSection(result: DigestBench | undefined): string {
  if (!result) return keptSection('## Digest');
  const t = result.throughput;
  return [
    '## Digest',
    '',
    `${result.recipients.toLocaleString('en')} recipients, ${result.releases} releases. The naive way compiles MJML per recipient; where it would take too long it is measured on ${result.personalizationMs.naiveSample} recipients and extrapolated.`,
    '',
    table(
      ['measure', 'ours', 'naive', 'ratio'],
      [
        [
          'MJML compiles per run (precompiled at build time)',
          result.mjmlCompiles.ours,
          result.mjmlCompiles.naive.toLocaleString('en'),
          '—',
        ],
        [
          'personalization, all recipients (s)',
          fixed(result.personalizationMs.ours / 1000, 2),
          fixed(result.personalizationMs.naive / 1000, 0),
          `${fixed(result.personalizationMs.ratio, 0)}×`,
        ],
        [
          `peak RSS MB (${(result.recipients / 10).toLocaleString('en')} → ${result.recipients.toLocaleString('en')} recipients)`,
          `${fixed(result.peakRssMb.oursTenth, 0)} → ${fixed(result.peakRssMb.ours, 0)}`,
          `${fixed(result.peakRssMb.naive, 0)} (${result.peakRssMb.naiveSample} recipients)`,
          `${fixed(result.peakRssMb.ratio, 2)}×`,
        ],
        [
          `send throughput at ${t.configuredRate}/s for ${t.seconds} s (fraction of rate)`,
          fixed(t.oursFraction, 2),
          fixed(t.naiveFraction, 2),
          `${fixed(t.ratio, 2)}×`,
        ],
      ],
    ),
    '',
    `MIME encoding of the first 200 digests (JIT still warming) costs ${fixed(result.composeMsPerMessage, 2)} ms per message (steady state: see MIME above); a full delivery run wrote ${result.fullRun.checkpointWrites} progress records in ${fixed(result.fullRun.ms / 1000, 1)} s.`,
    '',
  ].join('\n');
}

function mimeSection(result: MimeBench | undefined): string {
  if (!result) return keptSection('## MIME');
  const row = (name: string, count: number, run: { wallMs: number; cpuMs: number }) => [
    name,
    count.toLocaleString('en'),
    fixed(run.cpuMs, 3),
    fixed(run.wallMs, 3),
  ];
  return [
    '## MIME',
    '',
    `Real digests (${fixed(result.meanBytes / 1000, 1)} KB per message on average: multipart/alternative, quoted-printable text and HTML, encoded headers, List-Unsubscribe and List-Unsubscribe-Post) written for ${result.messages.toLocaleString('en')} recipients by our writer (src/mail/compose.ts), by nodemailer's composer on ${result.sample.toLocaleString('en')} of them in the same run, and the floor: base64 of the same text and HTML, no headers, no line breaks. CPU time is this process's own (steady on a busy machine); wall time includes waiting for the CPU. Target: ≤ 0.2 ms per message.`,
    '',
    table(
      ['writer', 'messages', 'CPU ms per message', 'wall ms per message'],
      [
        row('ours (`writeMail`)', result.messages, result.ours),
        row("nodemailer's MailComposer", result.sample, result.nodemailer),
        row('floor: base64 of the parts', result.messages, result.floor),
      ],
    ),
    '',
    `Ours is ${fixed(result.ratio, 1)}× as fast as nodemailer's composer (CPU) and ${fixed(result.ours.cpuMs / result.floor.cpuMs, 1)}× the floor; ${result.messages.toLocaleString('en')} messages cost ${fixed((result.ours.cpuMs * result.messages) / 1000, 0)} s of CPU.`,
    '',
  ].join('\n');
}

function suiteSection(result: SuiteBench | undefined): string {
  if (!result) return keptSection('## Test suite');
  const { ours, serial } = result;
  const row = (name: string, run: typeof ours) => [
    name,
    fixed(run.wallS, 0),
    `${fixed(run.userS, 0)} + ${fixed(run.systemS, 0)}`,
    run.files,
    run.tests,
  ];
  return [
    '## Test suite',
    '',
    'The whole suite from a warm checkout (dependencies installed, the CLI bundle already built, the incremental state of tsc from an earlier check), once each way, under GNU time. vitest starts the longest files first across its three projects (by its cache of the last run) and the temporary files of the tests are in RAM (/dev/shm). Target: `npm test` under 3 minutes on this 2-core machine.',
    '',
    table(
      ['way', 'wall s', 'CPU s (user + system)', 'files', 'tests'],
      [
        row('`npm test` (scripts/test.mjs: Biome/tsc, madge and knip beside vitest)', ours),
        row('naive: check, cycles, knip, then vitest, one after the other', serial),
      ],
    ),
    '',
    `\`npm test\` takes ${fixed(ours.wallS / 60, 2)} min, ${fixed(serial.wallS / ours.wallS, 2)}× as fast as the steps one after the other.`,
    '',
  ].join('\n');
}

/**
 * Sections added to the report by hand (measurements no section here can repeat, such as a 50k
 * build's memory), kept at the end in their order.
 */
function handWrittenSections(): string[] {
  return previousReport
    .split(/\n(?=## )/)
    .slice(1)
    .filter((text) => !GENERATED_HEADINGS.includes(text.slice(0, text.indexOf('\n'))))
    .map((text) => `${text.trimEnd()}\n`);
}

/**
 * The text an earlier run wrote under `heading` (up to the next section), so that running some
 * sections does not erase the others' numbers.
 */
function keptSection(heading: string): string {
  const start = previousReport.indexOf(`\n${heading}\n`);
  if (start === -1) return `${heading}\n\nNot run.\n`;
  const next = previousReport.indexOf('\n## ', start + heading.length + 1);
  return `${previousReport.slice(start + 1, next === -1 ? undefined : next).trimEnd()}\n`;
}
