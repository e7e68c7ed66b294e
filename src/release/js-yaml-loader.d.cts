import type * as JsYaml from 'js-yaml';

/** js-yaml, loaded on first use (see js-yaml-loader.cjs for why). */
declare function jsYamlModule(): typeof JsYaml;

declare const loader: { jsYamlModule: typeof jsYamlModule };
export = loader;
