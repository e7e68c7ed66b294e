// CommonJS on purpose: a require() inside a function is the one way to load a module lazily *and*
// synchronously both under Node and in the esbuild bundles (where it becomes a lazy initializer).
// sanitize-html and the HTML parser under it take ~25 ms to load at a Lambda cold start and a
// large share of a parser worker's start-up, yet only releases with raw HTML ever need them.
// Types: sanitize-html-loader.d.cts.

let loaded;

function sanitizeHtmlModule() {
  loaded ??= require('sanitize-html');
  return loaded;
}

module.exports = { sanitizeHtmlModule };
