/**
 * Stands in for `htmlparser2` in the Lambda bundles (serverless.yml `custom.esbuild.alias`).
 *
 * sanitize-html, the one bundled user, calls only `new htmlparser.Parser(…)`, but it `require()`s
 * the package's CommonJS entry, which esbuild cannot tree-shake: it would bring domhandler,
 * domutils, dom-serializer and a second copy of `entities` with its encoding tables (~90 KB of the
 * publisher's bundle, parsed at every cold start). This module gives it the same Parser class from
 * the package's ES build and nothing else. The path is relative so that the alias does not apply
 * to it again; tests/infra/bundle-aliases.test.ts checks that it is the copy sanitize-html
 * resolves, and tests/release/bundled-sanitizer.test.ts that the bundled sanitizer still
 * sanitizes exactly as the unbundled one. A bundled module that needs more of htmlparser2 fails
 * the build (no such export), it cannot silently get less.
 */
export { Parser } from '../../node_modules/htmlparser2/dist/esm/Parser.js';
