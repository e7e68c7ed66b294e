/**
 * Path of the CLI bundle (dist/cli/main.mjs), built first if missing or older than a file it was
 * built from.
 */
export function freshCliBundle(): Promise<string>;
