// Stands in for `xml-js` in the Lambda bundles (serverless.yml `custom.esbuild.alias`).
//
// `feed`, the one bundled user, only writes XML (`convert.js2xml`), but xml-js's CommonJS index
// also loads its reader and the `sax` parser under it (~28 KB that every function rendering feeds
// would parse at cold start). This module exports the writer alone, from the same copy of xml-js
// (tests/infra/bundle-aliases.test.ts checks that, and that feeds come out the same). CommonJS and
// a relative path, so that the alias does not apply to it again and the writer needs no types.
module.exports = { js2xml: require('../../node_modules/xml-js/lib/js2xml.js') };
