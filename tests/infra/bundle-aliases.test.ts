/**
 * scripts/bundle-plugins.cjs and scripts/bundle-aliases/: the stand-ins sanitize-html, feed,
 * markdown-it and the AWS SDK clients get in the Lambda bundles. They must be the very copies their users would resolve,
 * apply to those users only, keep out what they are there to keep out, and change no output: feeds rendered by the
 * bundled code are byte-identical to the unbundled ones, Markdown renders the same with the shared
 * entity decoder (the sanitizer's twin check is tests/release/bundled-sanitizer.test.ts, which
 * bundles with the same options).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeHTML as decodeHTML4, decodeHTMLStrict as decodeHTMLStrict4 } from 'entities';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEsbuildOptions } from '../../scripts/bundle.js';
import { renderFeeds } from '../../src/feeds/render.js';
import { ALL_SCOPE } from '../../src/feeds/scopes.js';
import { parseMarkdown, renderMarkdown } from '../../src/release/markdown.js';
import { newestFirst } from '../../src/site/order.js';
import { awkwardReleases, realisticReleases, TEST_SITE } from '../support/releases.js';
import { type LocalS3, startTestS3 } from '../support/s3.js';
import { PROJECT_ROOT } from './template.js';

const require = createRequire(import.meta.url);
const serverlessYml = await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
const options = loadEsbuildOptions(serverlessYml);

/** The file `name` resolves to when required from inside the package `fromPackage`. */
function resolvedFrom(fromPackage: string, name: string): Promise<string> {
  return realpath(createRequire(require.resolve(fromPackage)).resolve(name));
}

/** The entities decoder htmlparser2 (sanitize-html's copy) uses: markdown-it's in the bundles. */
const parserEntities = createRequire(
  createRequire(require.resolve('sanitize-html')).resolve('htmlparser2'),
).resolve('entities/decode');
const { decodeHTML, decodeHTMLStrict } = (await import(
  pathToFileURL(parserEntities).href
)) as typeof import('entities');

/** Bundles `source` (the text of an entry module) with the functions' options. */
async function bundle(work: string, source: string): Promise<{ inputs: string[]; file: string }> {
  const entry = join(work, 'entry.ts');
  await writeFile(entry, source);
  const result = await build({
    ...options,
    entryPoints: [entry],
    outdir: work,
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile?.inputs ?? {}), file: join(work, 'entry.mjs') };
}

describe('the stand-ins', () => {
  it('re-export the copies sanitize-html and feed resolve themselves', async () => {
    const root = await realpath(join(PROJECT_ROOT, 'node_modules'));
    const fromProject = (name: string) => realpath(require.resolve(name));
    // sanitize-html 2.18 has its own htmlparser2 (12) beside the project's (10, for mailparser):
    // the bundle must take the parser from sanitize-html's copy.
    const parserCopy = dirname(await resolvedFrom('sanitize-html', 'htmlparser2'));
    const work = await mkdtemp(join(tmpdir(), 'newsroom-sanitizer-parser-'));
    try {
      const { inputs } = await bundle(
        work,
        "import sanitizeHtml from 'sanitize-html';\nexport const out = sanitizeHtml('<b>a</b>');",
      );
      const parsers = inputs.filter((input) =>
        /htmlparser2[\\/]dist[\\/].*Parser\.js$/.test(input),
      );
      expect(parsers.map((input) => join(PROJECT_ROOT, input))).toEqual([
        join(parserCopy, 'Parser.js'),
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    expect(await resolvedFrom('feed', 'xml-js')).toBe(await fromProject('xml-js'));
    expect(await resolvedFrom('feed', 'xml-js')).toBe(join(root, 'xml-js/lib/index.js'));
    // markdown-it's own copy, which the parser's decoder replaces: entities 4, imported above.
    expect(await resolvedFrom('markdown-it', 'entities')).toBe(join(root, 'entities/lib/index.js'));
  });

  it('apply to their one importer: anything else bundles the real package', async () => {
    const work = await mkdtemp(join(tmpdir(), 'newsroom-unscoped-'));
    try {
      const { inputs, file } = await bundle(
        work,
        [
          "import { parseDocument } from 'htmlparser2';",
          "import { xml2js } from 'xml-js';",
          "import { encodeHTML } from 'entities';",
          "export const doc = parseDocument('<p>a</p>').children.length;",
          "export const xml = JSON.stringify(xml2js('<a/>'));",
          "export const encoded = encodeHTML('<ä>');",
        ].join('\n'),
      );
      expect(inputs.some((input) => input.startsWith('scripts/bundle-aliases/'))).toBe(false);
      const module = await import(pathToFileURL(file).href);
      expect([module.doc, module.xml, module.encoded]).toEqual([
        1,
        '{"elements":[{"type":"element","name":"a"}]}',
        '&lt;&auml;&gt;',
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe("the shared entity decoder, against markdown-it's own entities 4", () => {
  // Every named character reference of HTML (WHATWG's list, as Python ships it), a source
  // independent of both versions of `entities`.
  const names: string[] = JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      ['-c', 'import html.entities,json;print(json.dumps(list(html.entities.html5)))'],
      {
        encoding: 'utf8',
      },
    ),
  );

  it('decodes every named reference, with and without its semicolon, in text as entities 4 does', () => {
    expect(names.length).toBeGreaterThan(2000);
    for (const name of names) {
      for (const text of [`&${name}`, `a&${name}b`, `&${name.replace(/;$/, '')}`, `&${name}=x`]) {
        expect(decodeHTML(text), text).toBe(decodeHTML4(text));
        expect(decodeHTMLStrict(text), text).toBe(decodeHTMLStrict4(text));
      }
    }
  });

  it('decodes numeric references as entities 4 does, edges included (NUL, C1, surrogates, > U+10FFFF)', () => {
    const points = [
      0, 9, 0x41, 0x7f, 0x80, 0x85, 0x9f, 0xa0, 0xd7ff, 0xd800, 0xdfff, 0xe000, 0xfffe,
    ];
    points.push(0xffff, 0x1f600, 0x10ffff, 0x110000, 0xffffffff, 99999999999);
    for (const point of points) {
      for (const text of [
        `&#${point};`,
        `&#x${point.toString(16)};`,
        `&#${point}`,
        `&#X${point.toString(16)}x`,
      ]) {
        expect(decodeHTML(text), text).toBe(decodeHTML4(text));
        expect(decodeHTMLStrict(text), text).toBe(decodeHTMLStrict4(text));
      }
    }
  });

  it('decodes any text of ampersands, names and digits as entities 4 does', () => {
    const piece = fc.constantFrom(
      '&',
      '#',
      'x',
      ';',
      'amp',
      'lt',
      'not',
      'in',
      'copy',
      '1',
      '0',
      'F',
      ' ',
      'ä',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(decodeHTML(text)).toBe(decodeHTML4(text));
        expect(decodeHTMLStrict(text)).toBe(decodeHTMLStrict4(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Markdown as the Lambda functions bundle it', () => {
  let work: string;
  let bundled: { parseMarkdown: typeof parseMarkdown; renderMarkdown: typeof renderMarkdown };
  let inputs: string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-markdown-'));
    const source = JSON.stringify(join(PROJECT_ROOT, 'src/release/markdown.ts'));
    const built = await bundle(work, `export { parseMarkdown, renderMarkdown } from ${source};\n`);
    inputs = built.inputs;
    bundled = await import(pathToFileURL(built.file).href);
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("decodes with htmlparser2's copy of entities, markdown-it's own is left out", () => {
    expect(inputs).toContain('scripts/bundle-aliases/markdown-it-entities.mjs');
    expect(inputs.filter((input) => input.startsWith('node_modules/entities/'))).toEqual([]);
  });

  it('renders references in text, links, titles, code and raw HTML as unbundled', () => {
    const body = [
      '# Tiedote &amp; kutsu &copy; 2026 &notin; &NotAnEntity; &#x1F600; &#0; &#xD800; &#128;',
      '',
      'Hinta 5&nbsp;€ &lt;b&gt; &quot;lainaus&quot; &amp &copy &AMP; &#65 &#x;',
      '',
      '[Linkki &amp; muuta](https://example.fi/?a=1&amp;b=2&copy=3 "Otsikko &quot;x&quot; &eacute;")',
      '',
      '`koodi &amp; &lt;` ja ![Kuva &auml;](kuva&#46;png "&Auml;")',
      '',
      '<span title="&amp;&lt;">raaka &amp; HTML</span>',
      '',
      '    sisennetty &amp; koodi',
    ].join('\n');
    const expected = renderMarkdown(parseMarkdown(body, 0));
    expect(expected).toContain('&amp;');
    expect(bundled.renderMarkdown(bundled.parseMarkdown(body, 0))).toBe(expected);
  });
});

describe('feeds as the Lambda functions bundle them', () => {
  let work: string;
  let inputs: string[];
  let bundled: { renderFeeds: typeof renderFeeds };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-feeds-'));
    const source = JSON.stringify(join(PROJECT_ROOT, 'src/feeds/render.ts'));
    const built = await bundle(work, `export { renderFeeds } from ${source};\n`);
    inputs = built.inputs;
    bundled = await import(pathToFileURL(built.file).href);
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("carry xml-js's writer but not its reader or sax", () => {
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

describe('AWS SDK clients as the Lambda functions bundle them', () => {
  let work: string;
  let inputs: string[];
  let s3: LocalS3;
  let bundled: typeof import('../../src/adapters/s3-object-store.js');
  const saved = { ...process.env };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'newsroom-bundled-sdk-'));
    const source = JSON.stringify(join(PROJECT_ROOT, 'src/adapters/s3-object-store.ts'));
    const built = await bundle(work, `export * from ${source};\n`);
    inputs = built.inputs;
    bundled = await import(pathToFileURL(built.file).href);
    s3 = await startTestS3();
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await s3?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('carry the environment link of the credential chain and none of the others', () => {
    expect(inputs).toContain('scripts/bundle-aliases/lambda-credentials.mjs');
    const others =
      /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients)\/|credential-provider-imds/;
    expect(inputs.filter((input) => others.test(input))).toEqual([]);
  });

  it('sign with the credentials Lambda puts in the environment, as the unbundled client does', async () => {
    const bucket = `creds-${Date.now()}`;
    await s3.createBucket(bucket);
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    process.env.AWS_SESSION_TOKEN = 'session-token-from-lambda';
    const client = bundled.createS3Client({ endpoint: s3.endpoint, region: 'eu-north-1' });
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      sessionToken: 'session-token-from-lambda',
    });
    const store = new bundled.S3ObjectStore(client, bucket);
    await store.put('a/b.json', '{"ok":true}', { contentType: 'application/json' });
    const read = await store.get('a/b.json');
    expect(Buffer.from(read?.body ?? []).toString('utf8')).toBe('{"ok":true}');
  });

  it("fail with the SDK's own message when the environment has no credentials", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const client = bundled.createS3Client({ endpoint: s3.endpoint, region: 'eu-north-1' });
    await expect(client.config.credentials()).rejects.toThrow(
      'Unable to find environment variable credentials.',
    );
  });
});
