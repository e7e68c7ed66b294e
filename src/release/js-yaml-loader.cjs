// CommonJS on purpose, as sanitize-html-loader.cjs: a require() inside a function loads js-yaml
// lazily and synchronously, under Node and in the esbuild bundles (a lazy initializer there).
// Front matter nearly always takes plain-yaml.ts's fast path; only the rest needs js-yaml, so the
// publisher does not evaluate it (and build its schemas) at every cold start.
// Types: js-yaml-loader.d.cts.

let loaded;

function jsYamlModule() {
  loaded ??= require('js-yaml');
  return loaded;
}

module.exports = { jsYamlModule };
