/**
 * Stands in for sax in the Lambda bundles (serverless.yml `custom.esbuild.alias`), which saves
 * ~22 KB in every function that renders feeds.
 *
 * `feed` writes XML with xml-js's `js2xml`; xml-js loads its XML *parser* (and so sax) when it is
 * loaded, but only calls it to read XML, which nothing here does. Were it ever called, it fails
 * loudly rather than misread. tests/feeds/bundled-feed.test.ts bundles the feed writer with this
 * alias and checks its output against the unbundled one.
 */
export function parser(): never {
  throw new Error('sax is left out of the Lambda bundles: no function parses XML');
}
