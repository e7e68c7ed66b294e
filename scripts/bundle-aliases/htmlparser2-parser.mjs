// htmlparser2 as sanitize-html gets it in the Lambda bundles (scripts/bundle-plugins.cjs).
//
// sanitize-html calls only `new htmlparser.Parser(…)`, but it require()s the package's CommonJS
// entry, which esbuild cannot tree-shake: that would bring domhandler, domutils, dom-serializer
// and a second copy of `entities` with its encoding tables (~90 KB of the publisher's bundle,
// parsed at every cold start). This is the same Parser class, from the same copy's ES build,
// and nothing else of it (the plugin resolves `newsroom:html-parser` to that module).
export { Parser } from 'newsroom:html-parser';
