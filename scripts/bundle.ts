/**
 * Builds every Lambda handler in functions/ the way `osls package` does (serverless-esbuild with
 * serverless.yml's `custom.esbuild`, its plugins file included), then reports each bundle's size,
 * what it carries, whether it carries mjml, and its module init time, against the budgets (every
 * bundle < 1 MB, no mjml, init ≤ 1.5× the fastest function's). `npm run bundle` prints the table
 * (its prebundle step precompiles the MJML templates first; `-- --floors` adds
 * {@link INIT_FLOORS}); the benchmark runner calls {@link bundleAll}.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { load } from 'js-yaml';

const execFileAsync = promisify(execFile);

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What one handler's bundle costs. */
export interface BundleReport {
  /** Handler file name without `.ts`, e.g. `publish-release`. */
  name: string;
  /** Absolute path of the written bundle, `<outDir>/<name>.mjs`. */
  file: string;
  bytes: number;
  /** Whether any mjml package made it into the bundle. */
  containsMjml: boolean;
  /** Median of {@link initSamplesMs}. */
  initMs: number;
  /**
   * Median CPU time (user + system) the import took, one sample per process: steadier than wall
   * time on a busy machine, and what the budget is checked against.
   */
  initCpuMs: number;
  /** Time to import the bundle in a fresh `node` process, one sample per process, in run order. */
  initSamplesMs: number[];
  /**
   * Bytes of the bundle each part contributes, largest first: an npm package by its name (a nested
   * copy counts under its own name), project code by its top folder (`src/release`, `templates`).
   */
  parts: { name: string; bytes: number }[];
  /** For an {@link INIT_FLOORS} stand-in: the functions it is the floor of. */
  floorOf?: readonly string[];
}

export interface BundleAllOptions {
  /** Folder of handler files; default `functions/`. */
  functionsDir?: string;
  /** Where bundles go; default `dist/functions/`. */
  outDir?: string;
  /** Fresh processes per bundle for the init time; default 5. */
  runs?: number;
  /** Also write `<name>.mjs.map`, for reading a production stack trace; default false. */
  sourcemap?: boolean;
  /** Also measure the {@link INIT_FLOORS}, in the same rounds as the functions; default false. */
  floors?: boolean;
}

/**
 * Stand-in handlers that do only what a function cannot leave out of its cold start: create its
 * AWS SDK clients, and check the site's time zone (the first `Intl.DateTimeFormat` with a time
 * zone loads ICU's zone data, which every function that writes local dates needs at once anyway).
 * Each is the floor under the init time of the functions in `of`.
 */
export const INIT_FLOORS: readonly { name: string; of: readonly string[]; source: string }[] = [
  floor('floor-sqs', ['publish-due', 'reconcile'], ['sqs'], false),
  floor('floor-s3', ['ses-notifications'], ['s3'], false),
  floor('floor-s3-ses', ['subscriptions-api'], ['s3', 'ses'], false),
  floor('floor-s3-sqs-tz', ['publish-release'], ['s3', 'sqs'], true),
  floor('floor-s3-ses-sqs-tz', ['send-digest', 'send-immediate'], ['s3', 'ses', 'sqs'], true),
];

function floor(name: string, of: string[], clients: ('s3' | 'ses' | 'sqs')[], timeZone: boolean) {
  const classes = { s3: 'S3Client', ses: 'SESClient', sqs: 'SQSClient' };
  const lines = clients.map(
    (client) => `import { ${classes[client]} } from '@aws-sdk/client-${client}';`,
  );
  lines.push(
    `const clients = [${clients.map((client) => `new ${classes[client]}({})`).join(', ')}];`,
  );
  if (timeZone) {
    lines.push("new Intl.DateTimeFormat('en', { timeZone: process.env.TIME_ZONE });");
  }
  lines.push('export const handler = async () => clients.length;');
  return { name, of, source: `${lines.join('\n')}\n` };
}

/** A bundle could not be built or failed while its module initialised. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly functionName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${functionName}: ${message}`, options);
  }
}

/**
 * Environment the bundles are imported with: every variable serverless.yml gives the functions,
 * with harmless values. S3_ENDPOINT and SES_ENDPOINT stay unset, as on AWS.
 */
export const DUMMY_ENV: Readonly<Record<string, string>> = {
  RELEASES_BUCKET: 'newsroom-bench-releases',
  PUBLIC_BUCKET: 'newsroom-bench-public',
  SITE_URL: 'https://tiedotteet.example.fi',
  SITE_TITLE: 'Esimerkkikaupunki',
  TIME_ZONE: 'Europe/Helsinki',
  DEFAULT_LANG: 'fi',
  FEED_LIMIT: '50',
  POWERTOOLS_SERVICE_NAME: 'newsroom-bench',
  // Branding: blank counts as unset (the defaults), as serverless.yml's empty params do.
  SITE_NAME_FI: '',
  SITE_NAME_SV: '',
  SITE_NAME_EN: '',
  SITE_LOGO: '',
  SITE_COLOR: '',
  SITE_CONTACT: '',
  PRIVACY_URL: '',
  ACCESSIBILITY_URL: '',
  ID_AUTHORITY: '',
  WEBSUB_HUB: '',
  MAIL_FROM: 'tiedotteet@example.fi',
  STAFF_EMAIL: 'viestinta@example.fi',
  STAFF_LANG: 'fi',
  STAFF_NOTIFY: 'all',
  TOKEN_SECRET: 'bench-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab',
  SES_SEND_RATE: '10',
  IMMEDIATE_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/newsroom-bench-immediate',
  DIGEST_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/newsroom-bench-digest',
  PIPELINE_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/newsroom-pipeline.fifo',
};

/** Stand-ins for the variables serverless.yml sets on one function only (`functions.<name>.environment`). */
const FUNCTION_DUMMY_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ses-notifications': {
    SES_NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:eu-north-1:000000000000:newsroom-bench-ses',
  },
};

// What the Lambda runtime itself provides; dummy credentials keep the SDK from probing for real ones.
const RUNTIME_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  NODE_ENV: 'production',
};

// serverless-esbuild's own settings, which it strips before calling esbuild (its dist/bundle.js).
const PLUGIN_ONLY_KEYS = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
  'plugins',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is string => typeof item === 'string');
}

/**
 * Turns serverless-esbuild settings (`custom.esbuild`) into the options it hands to esbuild:
 * plugin-only keys dropped, `exclude` added to `external`, `outputFileExtension` as `outExtension`.
 */
export function toEsbuildOptions(config: Record<string, unknown>): BuildOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!PLUGIN_ONLY_KEYS.has(key)) options[key] = value;
  }
  const exclude = stringList(config.exclude);
  options.external = [...stringList(config.external), ...(exclude.includes('*') ? [] : exclude)];
  const extension = config.outputFileExtension;
  if (typeof extension === 'string' && extension !== '.js') {
    options.outExtension = { '.js': extension };
  }
  return options as BuildOptions;
}

/**
 * Folders serverless.yml packages next to the bundles (`functions.*.package.patterns`, each of the
 * form `<folder>/**`), e.g. `templates` for the mail functions, which read it at cold start.
 */
export function readPackagedFolders(serverlessYml: string): string[] {
  const config = load(serverlessYml);
  const functions = isRecord(config) && isRecord(config.functions) ? config.functions : {};
  const folders = new Set<string>();
  for (const definition of Object.values(functions)) {
    const packaging = isRecord(definition) ? definition.package : undefined;
    for (const pattern of stringList(isRecord(packaging) ? packaging.patterns : undefined)) {
      const folder = /^([\w.-]+(?:\/[\w.-]+)*)\/\*\*$/.exec(pattern)?.[1];
      if (!folder) throw new Error(`Unsupported package pattern in serverless.yml: ${pattern}`);
      folders.add(folder);
    }
  }
  return [...folders].sort();
}

/**
 * The options serverless-esbuild builds with, from serverless.yml text: {@link toEsbuildOptions}
 * plus the plugins of the file `custom.esbuild.plugins` names (from the project root), loaded the
 * way serverless-esbuild loads it (require, an array of plugins).
 */
export function loadEsbuildOptions(serverlessYml: string): BuildOptions {
  const config = readServerlessEsbuildConfig(serverlessYml);
  const options = toEsbuildOptions(config);
  if (config.plugins === undefined) return options;
  if (typeof config.plugins !== 'string') {
    throw new Error('serverless.yml custom.esbuild.plugins must name a file');
  }
  const plugins: unknown = createRequire(import.meta.url)(join(PROJECT_ROOT, config.plugins));
  if (!Array.isArray(plugins)) {
    throw new Error(`${config.plugins} must export an array of esbuild plugins`);
  }
  return { ...options, plugins };
}

/** Reads `custom.esbuild` from serverless.yml text. */
export function readServerlessEsbuildConfig(serverlessYml: string): Record<string, unknown> {
  const config = load(serverlessYml);
  const custom = isRecord(config) ? config.custom : undefined;
  const esbuild = isRecord(custom) ? custom.esbuild : undefined;
  if (!isRecord(esbuild)) {
    throw new Error('serverless.yml has no custom.esbuild section');
  }
  return esbuild;
}

async function handlerNames(functionsDir: string): Promise<string[]> {
  const files = await readdir(functionsDir);
  return files
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => basename(file, '.ts'))
    .sort();
}

function mjmlIn(metafile: Metafile): boolean {
  return Object.keys(metafile.inputs).some((input) => /node_modules\/mjml(-[^/]+)?\//.test(input));
}

function partOf(input: string): string {
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (inPackage?.[1]) return inPackage[1];
  const [top = input, second] = input.split('/');
  return second !== undefined && input.split('/').length > 2 ? `${top}/${second}` : top;
}

/** Bytes of the output each package or project folder contributes, largest first. */
export function bundleParts(metafile: Metafile): { name: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = partOf(input);
      bytes.set(part, (bytes.get(part) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

// Node prints the offending source line first, which in a minified bundle is the whole bundle;
// the error's own first lines say what went wrong.
function errorSummary(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line.length <= 500);
  const start = lines.findIndex((line) => /^[\w$.]*(Error|Exception)\b/.test(line));
  return start === -1 ? lines.slice(-6).join('\n') : lines.slice(start, start + 4).join('\n');
}

/** One init sample: import `file` in a fresh `node` process, wall and CPU time in ms. */
async function sampleInit(name: string, file: string): Promise<{ wall: number; cpu: number }> {
  // Only the import is timed, so process start-up and the child's own parsing stay out of it.
  const script = [
    'const cpu = process.cpuUsage();',
    'const started = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const used = process.cpuUsage(cpu);',
    "process.stdout.write(String(performance.now() - started) + ' ' + String((used.user + used.system) / 1000));",
    // A handler may open sockets or timers at init; the measurement is done regardless.
    'process.exit(0);',
  ].join('\n');
  try {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--no-warnings', '--input-type=module', '--eval', script],
      {
        cwd: tmpdir(),
        env: {
          PATH: process.env.PATH ?? '',
          ...RUNTIME_ENV,
          ...DUMMY_ENV,
          ...FUNCTION_DUMMY_ENV[name],
        },
        timeout: 60_000,
      },
    );
    const [wall, cpu] = stdout.trim().split(' ').map(Number);
    return { wall: wall ?? Number.NaN, cpu: cpu ?? Number.NaN };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new BundleError(name, `module init failed: ${errorSummary(stderr) || String(error)}`, {
      cause: error,
    });
  }
}

/**
 * `runs` init samples of every bundle, taken in rounds (each round imports every bundle once, in
 * turn) so that a change in the machine's load weighs on all of them alike and the ratios hold.
 */
async function measureInits(
  bundles: readonly { name: string; file: string }[],
  runs: number,
): Promise<{ wall: number; cpu: number }[][]> {
  const samples = bundles.map((): { wall: number; cpu: number }[] => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, { name, file }] of bundles.entries()) {
      samples[index]?.push(await sampleInit(name, file));
    }
  }
  return samples;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/**
 * Bundles each `functions/*.ts` separately with serverless.yml's esbuild options into
 * `dist/functions/<name>.mjs` (with the folders the package ships beside it, e.g. `dist/templates/`),
 * and measures each bundle's size, what it carries, and its median init time. Builds run in
 * parallel; init measurements run one process at a time, in rounds, so they do not compete.
 */
export async function bundleAll(options: BundleAllOptions = {}): Promise<BundleReport[]> {
  const functionsDir = resolve(options.functionsDir ?? join(PROJECT_ROOT, 'functions'));
  const outDir = resolve(options.outDir ?? join(PROJECT_ROOT, 'dist', 'functions'));
  const runs = options.runs ?? 5;
  const serverlessYml = await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
  const esbuildOptions: BuildOptions = {
    ...loadEsbuildOptions(serverlessYml),
    ...(options.sourcemap ? { sourcemap: 'external' } : {}),
  };

  // Same layout as the package: <root>/functions/<name>.mjs beside <root>/templates/.
  for (const folder of readPackagedFolders(serverlessYml)) {
    await cp(join(PROJECT_ROOT, folder), join(outDir, '..', folder), { recursive: true });
  }

  const names = await handlerNames(functionsDir);
  const entries: BundleEntry[] = names.map((name) => ({
    name,
    entry: join(functionsDir, `${name}.ts`),
    outDir,
  }));
  const floorsDir = options.floors ? await mkdtemp(join(tmpdir(), 'newsroom-floors-')) : undefined;
  if (floorsDir !== undefined) {
    for (const { name, of, source } of INIT_FLOORS) {
      const entry = join(floorsDir, `${name}.ts`);
      await writeFile(entry, source);
      entries.push({ name, entry, outDir: join(outDir, 'floors'), floorOf: of });
    }
  }
  try {
    const built = await Promise.all(entries.map((entry) => buildOne(entry, esbuildOptions)));
    return await measureAll(built, runs);
  } finally {
    if (floorsDir !== undefined) await rm(floorsDir, { recursive: true, force: true });
  }
}

interface BundleEntry {
  name: string;
  entry: string;
  outDir: string;
  floorOf?: readonly string[];
}

interface BuiltBundle {
  name: string;
  file: string;
  metafile: Metafile;
  floorOf?: readonly string[];
}

/** Bundles one handler file with the functions' esbuild options. */
async function buildOne(
  { name, entry, outDir, floorOf }: BundleEntry,
  esbuildOptions: BuildOptions,
): Promise<BuiltBundle> {
  const extension = esbuildOptions.outExtension?.['.js'] ?? '.js';
  try {
    const result = await build({
      ...esbuildOptions,
      entryPoints: [entry],
      outdir: outDir,
      metafile: true,
      absWorkingDir: PROJECT_ROOT,
      // Lets handlers outside the project (tests, experiments, floors) resolve its dependencies.
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      logLevel: 'silent',
    });
    const file = join(outDir, `${name}${extension}`);
    return { name, file, metafile: result.metafile, ...(floorOf ? { floorOf } : {}) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ') : '';
    throw new BundleError(name, `esbuild failed: ${reason}`, { cause: error });
  }
}

/** Init samples of every bundle in rounds, then each bundle's report. */
async function measureAll(built: BuiltBundle[], runs: number): Promise<BundleReport[]> {
  const samples = await measureInits(built, runs);
  const reports: BundleReport[] = [];
  for (const [index, { name, file, metafile, floorOf }] of built.entries()) {
    const own = samples[index] ?? [];
    const initSamplesMs = own.map((sample) => sample.wall);
    reports.push({
      name,
      file,
      bytes: (await stat(file)).size,
      containsMjml: mjmlIn(metafile),
      initMs: median(initSamplesMs),
      initCpuMs: median(own.map((sample) => sample.cpu)),
      initSamplesMs,
      parts: bundleParts(metafile),
      ...(floorOf ? { floorOf } : {}),
    });
  }
  return reports;
}

/** Every function bundle stays under this size. */
export const MAX_BUNDLE_BYTES = 1_000_000;
/** Every function's init stays within this multiple of the fastest function's init. */
export const MAX_INIT_RATIO = 1.5;

/** The budgets checked against one set of reports. */
export interface BundleBudget {
  /** Functions whose bundle is {@link MAX_BUNDLE_BYTES} or more. */
  oversized: string[];
  /** Functions that carry mjml (templates are precompiled; none should). */
  withMjml: string[];
  /** The function with the least init CPU time, the yardstick for the others. */
  fastest: { name: string; initCpuMs: number } | undefined;
  /** Functions whose init exceeds {@link MAX_INIT_RATIO} × the fastest one's, with their ratio. */
  slowInit: { name: string; ratio: number }[];
}

/** Checks size, mjml and init time of every function (floors left out) against the budgets. */
export function checkBudget(all: BundleReport[]): BundleBudget {
  const reports = all.filter((report) => report.floorOf === undefined);
  const fastest = [...reports].sort((a, b) => a.initCpuMs - b.initCpuMs)[0];
  const ratioOf = (report: BundleReport) =>
    report.initCpuMs / (fastest?.initCpuMs ?? report.initCpuMs);
  return {
    oversized: reports.filter((r) => r.bytes >= MAX_BUNDLE_BYTES).map((r) => r.name),
    withMjml: reports.filter((r) => r.containsMjml).map((r) => r.name),
    fastest: fastest && { name: fastest.name, initCpuMs: fastest.initCpuMs },
    slowInit: reports
      .filter((r) => ratioOf(r) > MAX_INIT_RATIO)
      .map((r) => ({ name: r.name, ratio: ratioOf(r) })),
  };
}

/** One floor's init against the fastest function's, beside the functions it is the floor of. */
export interface FloorComparison {
  floor: string;
  /** The floor's init CPU ÷ the fastest function's. */
  ratio: number;
  functions: { name: string; ratio: number }[];
}

/** Each measured floor's ratio to the fastest function, with its functions' ratios. */
export function compareFloors(reports: BundleReport[]): FloorComparison[] {
  const fastest = checkBudget(reports).fastest?.initCpuMs;
  if (fastest === undefined) return [];
  return reports.flatMap((report) =>
    report.floorOf === undefined
      ? []
      : [
          {
            floor: report.name,
            ratio: report.initCpuMs / fastest,
            functions: reports
              .filter((r) => r.floorOf === undefined && report.floorOf?.includes(r.name))
              .map((r) => ({ name: r.name, ratio: r.initCpuMs / fastest })),
          },
        ],
  );
}

function budgetLines(reports: BundleReport[]): string[] {
  const budget = checkBudget(reports);
  const names = (list: string[]) => (list.length === 0 ? 'ok' : `OVER: ${list.join(', ')}`);
  const lines = [
    `size < 1 MB: ${names(budget.oversized)}`,
    `mjml: ${budget.withMjml.length === 0 ? 'in no function' : `PRESENT in ${budget.withMjml.join(', ')}`}`,
  ];
  if (budget.fastest) {
    const slow = budget.slowInit.map((s) => `${s.name} ${s.ratio.toFixed(2)}×`);
    lines.push(
      `init ≤ ${MAX_INIT_RATIO}× the fastest (${budget.fastest.name}, ${budget.fastest.initCpuMs.toFixed(1)} ms CPU): ${names(slow)}`,
    );
  }
  for (const { floor, ratio, functions } of compareFloors(reports)) {
    const above = functions.map((f) => `${f.name} ${f.ratio.toFixed(2)}×`).join(', ');
    lines.push(
      `${floor} ${ratio.toFixed(2)}× the fastest, under ${above || 'no function measured'}`,
    );
  }
  return lines;
}

/** The report as a plain-text table, with every budget checked underneath. */
export function formatReports(reports: BundleReport[]): string {
  const rows = reports.map((report) => [
    report.name,
    report.bytes.toLocaleString('en-US'),
    report.containsMjml ? 'yes' : 'no',
    report.initMs.toFixed(1),
    report.initCpuMs.toFixed(1),
    report.initSamplesMs.map((sample) => sample.toFixed(0)).join(' '),
  ]);
  const header = ['function', 'bytes', 'mjml', 'init ms (median)', 'init CPU ms', 'wall samples'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];

  if (reports.length > 0) lines.push('', ...budgetLines(reports));
  // Init times swing with machine load; say how busy the machine was.
  const load = loadavg()[0] ?? 0;
  lines.push(
    `measured on Node ${process.versions.node} (Lambda runs nodejs22.x), ` +
      `load average ${load.toFixed(1)} on ${availableParallelism()} cores`,
  );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const reports = await bundleAll({
    sourcemap: process.argv.includes('--sourcemap'),
    floors: process.argv.includes('--floors'),
  });
  console.log(formatReports(reports));
}
