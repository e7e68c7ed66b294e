/**
 * scripts/bundle-aliases/: the modules that stand in for htmlparser2 and xml-js in the Lambda
 * bundles (serverless.yml `custom.esbuild.alias`). They must point at the very copies their users
 * resolve, keep out what they are there to keep out, and change no output: feeds rendered by the
 * bundled code are byte-identical to the unbundled ones (the sanitizer's twin check is
 * tests/release/bundled-sanitizer.test.ts, which bundles with the same options).
 */
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerlessEsbuildConfig, toEsbuildOptions } from '../../scripts/bundle.js';
import { renderFeeds } from '../../src/feeds/render.js';
import { ALL_SCOPE } from '../../src/feeds/scopes.js';
import { newestFirst } from '../../src/site/order.js';
import { awkwardReleases, realisticReleases, TEST_SITE } from '../support/releases.js';
import { PROJECT_ROOT } from './template.js';

const require = createRequire(import.meta.url);
const serverlessYml = await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
const options = toEsbuildOptions(readServerlessEsbuildConfig(serverlessYml));

/** The file `name` resolves to when required from inside the package `fromPackage`. */
function resolvedFrom(fromPackage: string, name: string): Promise<string> {
  return realpath(createRequire(require.resolve(fromPackage)).resolve(name));
}

describe('the aliased modules', () => {
  it('are the copies sanitize-html and feed resolve themselves', async () => {
    const root = await realpath(join(PROJECT_ROOT, 'node_modules'));
    expect(await resolvedFrom('sanitize-html', 'htmlparser2')).toBe(
      join(root, 'htmlparser2/dist/commonjs/index.js'),
    );
    expect(await resolvedFrom('feed', 'xml-js')).toBe(join(root, 'xml-js/lib/index.js'));
  });

  it('are what serverless.yml aliases', () => {
    expect(options.alias).toMatchObject({
      htmlparser2: './scripts/bundle-aliases/htmlparser2-parser.ts',
      'xml-js': './scripts/bundle-aliases/xml-js-writer.cjs',
    });
  });
});

describe('feeds as the Lambda functions bundle them', () => {
  let work: string;
  let metafile: Metafile;
  let bundled: { renderFeeds: typeof renderFeeds };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-feeds-'));
    const entry = join(work, 'entry.ts');
    await writeFile(
      entry,
      `export { renderFeeds } from ${JSON.stringify(join(PROJECT_ROOT, 'src/feeds/render.ts'))};\n`,
    );
    const result = await build({
      ...options,
      entryPoints: [entry],
      outdir: work,
      metafile: true,
      absWorkingDir: PROJECT_ROOT,
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      logLevel: 'silent',
    });
    metafile = result.metafile;
    bundled = await import(pathToFileURL(join(work, 'entry.mjs')).href);
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("carry xml-js's writer but not its reader or sax", () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('node_modules/xml-js/lib/js2xml.js');
    expect(inputs.filter((input) => /xml-js\/lib\/(xml2js|index)\.js|\/sax\//.test(input))).toEqual(
      [],
    );
  });

  it.each([
    ['realistic', realisticReleases()],
    ['awkward (markup, control characters, odd URLs)', awkwardReleases()],
  ])('render %s releases byte-identical to the unbundled code', (_name, releases) => {
    const newest = newestFirst(releases, TEST_SITE.feedLimit);
    const expected = renderFeeds(ALL_SCOPE, newest, TEST_SITE);
    expect(expected.atom.length).toBeGreaterThan(1000);
    expect(bundled.renderFeeds(ALL_SCOPE, newest, TEST_SITE)).toEqual(expected);
  });
});
