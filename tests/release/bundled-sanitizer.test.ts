/**
 * The Lambda bundles replace postcss with src/release/postcss-stub.ts, give sanitize-html only
 * htmlparser2's Parser (scripts/bundle-plugins.cjs) and load sanitize-html lazily
 * (serverless.yml `custom.esbuild`, src/release/sanitize-html-loader.cjs). This bundles the
 * release sanitizer with exactly those options and checks that it sanitizes as the code does
 * unbundled, style attributes included.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEsbuildOptions } from '../../scripts/bundle.js';
import { sanitizeReleaseHtml } from '../../src/release/sanitize.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = 'https://tiedotteet.example.fi/releases/kirjasto.html';

const HOSTILE = [
  '<p style="color:red;background:url(javascript:alert(1))">Punainen</p>',
  '<p STYLE="x:expression(alert(1))" class="a" id="b">Teksti</p>',
  '<img src="kuva.png" style="width:1px" alt="Kuva" onerror="alert(1)">',
  '<a href="javascript:alert(1)" style="position:fixed">Linkki</a>',
  '<a href="../toinen.html" title="T">Suhteellinen</a>',
  '<style>p{color:red}</style><script>alert(1)</script><iframe src="x"></iframe>',
  '<svg><style>*{}</style></svg><math><mi>x</mi></math><form><input></form>',
  '<table><tr><td style="text-align:left" colspan="2">Solu</td></tr></table>',
  '<code class="language-js" style="x">1 &lt; 2</code>',
];

let work: string;
let bundled: { sanitizeReleaseHtml: typeof sanitizeReleaseHtml };
let metafile: Metafile;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-sanitizer-'));
  const serverlessYml = await readFile(join(ROOT, 'serverless.yml'), 'utf8');
  const options = loadEsbuildOptions(serverlessYml);
  const entry = join(work, 'entry.ts');
  await writeFile(
    entry,
    `export { sanitizeReleaseHtml } from ${JSON.stringify(join(ROOT, 'src/release/sanitize.ts'))};\n`,
  );
  const result = await build({
    ...options,
    entryPoints: [entry],
    outdir: work,
    metafile: true,
    absWorkingDir: ROOT,
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  metafile = result.metafile;
  bundled = await import(pathToFileURL(join(work, 'entry.mjs')).href);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the release sanitizer as the Lambda functions bundle it', () => {
  it('carries sanitize-html but neither postcss nor its source maps', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes('node_modules/sanitize-html/'))).toBe(true);
    expect(inputs.some((input) => input.includes('src/release/postcss-stub.ts'))).toBe(true);
    expect(inputs.some((input) => /node_modules\/(postcss|source-map-js)\//.test(input))).toBe(
      false,
    );
    expect(inputs).toContain('scripts/bundle-aliases/htmlparser2-parser.mjs');
    expect(
      inputs.some((input) => /node_modules\/(domhandler|domutils|dom-serializer)\//.test(input)),
    ).toBe(false);
  });

  it.each(HOSTILE)('sanitizes %s exactly as unbundled', (html) => {
    const expected = sanitizeReleaseHtml(html, PAGE);
    expect(bundled.sanitizeReleaseHtml(html, PAGE)).toBe(expected);
    expect(expected).not.toMatch(/style|script|javascript:|onerror|iframe|<svg|<form/i);
  });
});
