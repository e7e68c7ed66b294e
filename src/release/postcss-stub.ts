/**
 * Stands in for postcss in the Lambda bundles (serverless.yml `custom.esbuild.alias`), which saves
 * ~90 KB of postcss and source-map-js in every function that parses releases, and their start-up.
 *
 * sanitize-html loads postcss when it is loaded, but calls it only to filter a `style` attribute,
 * and only with `parseStyleAttributes` on. Releases never keep `style` (it is not in
 * sanitize.ts's allowlist, so sanitize-html drops it before that point) and sanitize.ts turns
 * `parseStyleAttributes` off. Were it ever called, sanitize-html catches the error and drops the
 * attribute, so the sanitizer fails closed. tests/release/bundled-sanitizer.test.ts bundles the
 * sanitizer with this alias and checks it against the unbundled one.
 */
export function parse(): never {
  throw new Error(
    'postcss is left out of the Lambda bundles: release HTML never keeps style attributes',
  );
}
