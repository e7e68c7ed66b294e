/**
 * scripts/bundle.ts: the options it shares with serverless.yml, and real builds of stand-in
 * handlers (written to a temporary folder, never to functions/).
 */
import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BundleError,
  type BundleReport,
  bundleAll,
  checkBudget,
  DUMMY_ENV,
  formatReports,
  MAX_BUNDLE_BYTES,
  readPackagedFolders,
  readServerlessEsbuildConfig,
  toEsbuildOptions,
} from '../../scripts/bundle.js';
import { PROJECT_ROOT } from './template.js';

const serverlessYml = await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');

describe('esbuild options', () => {
  it('maps serverless-esbuild settings to what it hands esbuild', () => {
    const options = toEsbuildOptions({
      format: 'esm',
      minify: true,
      external: ['a'],
      exclude: ['typescript'],
      outputFileExtension: '.mjs',
      packager: 'npm',
      keepOutputDirectory: true,
    });
    expect(options).toEqual({
      format: 'esm',
      minify: true,
      external: ['a', 'typescript'],
      outExtension: { '.js': '.mjs' },
    });
    expect(toEsbuildOptions({ exclude: '*', outputFileExtension: '.js' })).toEqual({
      external: [],
    });
  });

  it('reads ESM, node22, minified, createRequire-bannered options from serverless.yml', () => {
    const config = readServerlessEsbuildConfig(serverlessYml);
    expect(config).toMatchObject({
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      outputFileExtension: '.mjs',
      minify: true,
      exclude: ['typescript'],
      banner: { js: expect.stringMatching(/const require = \w+\(import\.meta\.url\)/) },
    });
    // The AWS SDK is bundled (pinned to package-lock.json), never left to the Lambda runtime.
    expect(JSON.stringify(config)).not.toContain('@aws-sdk');
    expect(() => readServerlessEsbuildConfig('service: x\n')).toThrow(/custom\.esbuild/);
  });

  it('ships no folder beside the bundles (templates are bundled), and nothing it cannot mirror', () => {
    expect(readPackagedFolders(serverlessYml)).toEqual([]);
    const folder = 'functions:\n  a:\n    package:\n      patterns: ["assets/**"]\n';
    expect(readPackagedFolders(folder)).toEqual(['assets']);
    const odd = 'functions:\n  a:\n    package:\n      patterns: ["!templates/x.mjml"]\n';
    expect(() => readPackagedFolders(odd)).toThrow(/Unsupported package pattern/);
  });

  it('imports bundles with exactly the variables serverless.yml gives the functions', () => {
    const config = load(serverlessYml) as { provider: { environment: Record<string, unknown> } };
    expect(Object.keys(DUMMY_ENV).sort()).toEqual(Object.keys(config.provider.environment).sort());
  });
});

describe('bundleAll', () => {
  let work: string;
  let reports: BundleReport[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-bundle-'));
    const functionsDir = join(work, 'functions');
    await mkdir(functionsDir);
    // Fails at init unless the bundle runs with the functions' environment.
    await writeFile(
      join(functionsDir, 'feed-like.ts'),
      [
        "import MarkdownIt from 'markdown-it';",
        "if (!process.env.RELEASES_BUCKET) throw new Error('RELEASES_BUCKET is not set');",
        'const markdown = new MarkdownIt();',
        "export const handler = async () => markdown.render('# Hei');",
      ].join('\n'),
    );
    await writeFile(
      join(functionsDir, 'mail-like.ts'),
      [
        "import mjml2html from 'mjml';",
        'export const handler = async () =>',
        "  (await mjml2html('<mjml><mj-body><mj-text>Hei</mj-text></mj-body></mjml>')).html;",
      ].join('\n'),
    );
    await writeFile(join(functionsDir, 'types.d.ts'), 'export {};\n');
    reports = await bundleAll({ functionsDir, outDir: join(work, 'dist', 'functions'), runs: 2 });
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('builds one ESM bundle per handler file, in name order', async () => {
    expect(reports.map((report) => report.name)).toEqual(['feed-like', 'mail-like']);
    for (const report of reports) {
      expect(report.file).toBe(join(work, 'dist', 'functions', `${report.name}.mjs`));
      expect(report.bytes).toBe((await stat(report.file)).size);
      const code = await readFile(report.file, 'utf8');
      expect(code.startsWith('import { createRequire')).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*handler/);
    }
  });

  it('tells which bundles carry mjml', () => {
    const carriesMjml = Object.fromEntries(reports.map((r) => [r.name, r.containsMjml]));
    expect(carriesMjml).toEqual({ 'feed-like': false, 'mail-like': true });
    const sizes = Object.fromEntries(reports.map((r) => [r.name, r.bytes]));
    expect(sizes['mail-like']).toBeGreaterThan(5 * (sizes['feed-like'] ?? 0));
  });

  it('samples init time once per fresh process and reports the median', () => {
    for (const report of reports) {
      expect(report.initSamplesMs).toHaveLength(2);
      for (const sample of report.initSamplesMs) expect(sample).toBeGreaterThan(0);
      const [a = 0, b = 0] = report.initSamplesMs;
      expect(report.initMs).toBeCloseTo((a + b) / 2, 6);
      expect(report.initCpuMs).toBeGreaterThan(0);
    }
  });

  it('prints a table with every budget checked underneath', () => {
    const table = formatReports(reports);
    expect(table).toMatch(/^function\s+bytes\s+mjml/);
    expect(table).toContain('mail-like');
    expect(table).toContain('mjml: PRESENT in mail-like');
    const report = (name: string, bytes: number, initCpuMs: number): BundleReport => ({
      name,
      file: `/x/${name}.mjs`,
      bytes,
      containsMjml: false,
      initMs: initCpuMs * 3, // wall time on a busy machine: not what the budget checks
      initCpuMs,
      initSamplesMs: [initCpuMs * 3],
    });
    const lines = formatReports([
      report('small', 400_000, 50),
      report('big', 1_200_000, 75),
      report('slow', 900_000, 76),
    ]).split('\n');
    expect(lines).toContain('size < 1 MB: OVER: big');
    expect(lines).toContain('mjml: in no function');
    expect(lines).toContain('init ≤ 1.5× the fastest (small, 50.0 ms CPU): OVER: slow 1.52×');
    expect(checkBudget([report('a', 1, 10), report('b', 1, 15)]).slowInit).toEqual([]);
  });

  it("names the function that does not build, with esbuild's reason", async () => {
    const functionsDir = join(work, 'unresolvable');
    await mkdir(functionsDir);
    await writeFile(
      join(functionsDir, 'lost.ts'),
      "import { gone } from './no-such-module.js';\nexport const handler = gone;\n",
    );
    const failure = bundleAll({ functionsDir, outDir: join(work, 'lost-dist'), runs: 1 });
    await expect(failure).rejects.toMatchObject({
      name: 'BundleError',
      functionName: 'lost',
      message: expect.stringMatching(/^lost: esbuild failed: .*no-such-module/),
    });
  });

  it('names the function whose module fails at init', async () => {
    const functionsDir = join(work, 'broken');
    await mkdir(functionsDir);
    await writeFile(
      join(functionsDir, 'broken.ts'),
      "throw new Error('BOOM_AT_INIT');\nexport const handler = () => 1;\n",
    );
    const failure = bundleAll({ functionsDir, outDir: join(work, 'broken-dist'), runs: 1 });
    await expect(failure).rejects.toBeInstanceOf(BundleError);
    await expect(failure).rejects.toMatchObject({
      functionName: 'broken',
      message: expect.stringMatching(/^broken: module init failed: Error: BOOM_AT_INIT/),
    });
  });
});

describe('the real functions', () => {
  let work: string;
  let reports: BundleReport[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-functions-'));
    reports = await bundleAll({ outDir: join(work, 'functions'), runs: 1 });
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('each bundle stays under 1 MB (publish-release: see below) and none carries mjml', () => {
    expect(reports.length).toBeGreaterThanOrEqual(7);
    for (const report of reports) {
      // Known and open (issue 15): checking media by their bytes (file-type, image-size) took
      // publish-release to ~1.07 MB. It may not grow further while that is worked on.
      const cap = report.name === 'publish-release' ? 1_100_000 : MAX_BUNDLE_BYTES;
      expect(report.bytes, report.name).toBeLessThan(cap);
      expect(report.containsMjml, report.name).toBe(false);
    }
    const budget = checkBudget(reports);
    expect(budget.oversized.filter((name) => name !== 'publish-release')).toEqual([]);
    expect(budget.withMjml).toEqual([]);
  });

  it('each bundle initialises with nothing beside it: no templates folder is read', async () => {
    await expect(access(join(work, 'templates'))).rejects.toThrow();
    for (const report of reports) expect(report.initMs, report.name).toBeGreaterThan(0);
  });
});
