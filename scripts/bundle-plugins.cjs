// esbuild plugins for the Lambda bundles: serverless-esbuild loads this file (serverless.yml
// `custom.esbuild.plugins`), and so do scripts/bundle.ts and the tests that bundle like it.
//
// Scoped aliases: four packages get, from their one importer only, a stand-in that exports just
// what that importer needs (scripts/bundle-aliases/ says why for each): three parsing libraries,
// and the AWS SDK's default credential chain, cut to the environment variables Lambda sets.
// esbuild's own `alias` option would swap a package for every importer, and break anything else
// that bundles it (mjml does).
// A module that needs more than the stand-in exports fails the build; it cannot silently get less.
// tests/infra/bundle-aliases.test.ts checks that output is unchanged.

const { dirname, join } = require('node:path');

const STAND_INS = join(__dirname, 'bundle-aliases');

/** `path`, imported by a package whose name `from` matches, resolves to the stand-in `to`. */
const SCOPED = [
  { path: 'htmlparser2', from: /^sanitize-html$/, to: 'htmlparser2-parser.mjs' },
  { path: 'xml-js', from: /^feed$/, to: 'xml-js-writer.cjs' },
  { path: 'entities', from: /^markdown-it$/, to: 'markdown-it-entities.mjs' },
  { path: '@aws-sdk/credential-provider-node', from: /^@aws-sdk\//, to: 'lambda-credentials.mjs' },
];

/** The npm package a file belongs to (its innermost node_modules folder), or undefined. */
function packageOf(file) {
  const match = /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file ?? '');
  return match?.[1]?.replace('\\', '/');
}

/** @type {import('esbuild').Plugin} */
const scopedAliases = {
  name: 'newsroom-scoped-aliases',
  setup(build) {
    build.onResolve(
      { filter: /^(htmlparser2|xml-js|entities|@aws-sdk\/credential-provider-node)$/ },
      (args) => {
        const from = packageOf(args.importer) ?? '';
        const rule = SCOPED.find((scoped) => scoped.path === args.path && scoped.from.test(from));
        return rule === undefined ? undefined : { path: join(STAND_INS, rule.to) };
      },
    );
    // The HTML parser class of the htmlparser2 copy sanitize-html resolves (its ES build's
    // Parser module: the package index would also bring the DOM modules), and that parser's own
    // entity decoder, wherever npm placed them.
    const resolveFrom = async (path, resolveDir) => {
      const result = await build.resolve(path, { kind: 'import-statement', resolveDir });
      if (result.errors.length > 0)
        throw new Error(result.errors[0]?.text ?? `cannot resolve ${path}`);
      return result.path;
    };
    const htmlParser = async () => {
      const index = await resolveFrom('htmlparser2', dirname(require.resolve('sanitize-html')));
      return join(dirname(index), 'Parser.js');
    };
    build.onResolve({ filter: /^newsroom:html-parser$/ }, async () => ({
      path: await htmlParser(),
    }));
    build.onResolve({ filter: /^newsroom:html-parser-entities$/ }, async () => ({
      path: await resolveFrom('entities/decode', dirname(await htmlParser())),
    }));
  },
};

module.exports = [scopedAliases];
