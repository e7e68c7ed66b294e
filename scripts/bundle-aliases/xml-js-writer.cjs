// xml-js as `feed` gets it in the Lambda bundles (scripts/bundle-plugins.cjs).
//
// feed only writes XML (`convert.js2xml`), but xml-js's CommonJS index also loads its reader and
// the `sax` parser under it (~28 KB that every function rendering feeds would parse at cold
// start). This is the writer alone.
module.exports = { js2xml: require('xml-js/lib/js2xml.js') };
