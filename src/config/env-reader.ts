import * as v from 'valibot';
import { baseUrl, integerIn, timeZoneName, type VariableSchema } from './variables.js';

/** The environment is missing a variable or holds an unusable value; names every culprit. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The variables at fault, in the order they were read. */
    readonly variables: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How {@link EnvReader.read} treats a variable. */
interface ReadOptions {
  /** The value is a secret (`TOKEN_SECRET`): a problem names the variable, never its value. */
  secret?: boolean;
}

/** The process environment, or a test's stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads variables from an environment, collecting every problem instead of stopping at the first,
 * so one cold start names everything an operator has to fix.
 */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: { name: string; message: string }[] = [];

  constructor(env: Env) {
    this.#env = env;
  }

  /** A required, non-blank variable. */
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) {
      this.#problems.push({ name, message: `${name} is not set` });
      return '';
    }
    return value;
  }

  /** A variable that may be absent; blank counts as absent. */
  optional(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** An optional variable with a default. */
  withDefault(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  /**
   * An optional variable checked and converted by `schema` (src/config/variables.ts); `fallback`
   * when it is absent, or when it is malformed (the problem is recorded, named after `name`).
   * A `secret` variable's value is never repeated in the message.
   */
  read<T>(name: string, schema: VariableSchema<T>, fallback: T, options?: ReadOptions): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    return this.#check(name, raw, schema, fallback, options);
  }

  /**
   * A required variable checked and converted by `schema`; `placeholder` when it is missing or
   * malformed (the problem is recorded either way, so `placeholder` never reaches a caller of
   * {@link EnvReader.done}).
   */
  requiredAs<T>(name: string, schema: VariableSchema<T>, placeholder: T, options?: ReadOptions): T {
    const raw = this.required(name);
    if (raw === '') return placeholder;
    return this.#check(name, raw, schema, placeholder, options);
  }

  #check<T>(
    name: string,
    raw: string,
    schema: VariableSchema<T>,
    fallback: T,
    options: ReadOptions = {},
  ): T {
    const result = v.safeParse(schema, raw);
    if (result.success) return result.output;
    const got = options.secret ? '' : `, got "${raw}"`;
    for (const issue of result.issues) {
      this.#problems.push({ name, message: `${name} ${issue.message}${got}` });
    }
    return fallback;
  }

  /** An optional integer within `[min, max]`. */
  integer(name: string, fallback: number, min: number, max: number): number {
    return this.read(name, integerIn(min, max), fallback);
  }

  /** An http(s) URL, returned without a trailing slash. */
  url(name: string, required: true): string;
  url(name: string, required: false): string | undefined;
  url(name: string, required: boolean): string | undefined {
    const raw = required ? this.required(name) : this.optional(name);
    if (!raw) return raw;
    return this.read(name, baseUrl, raw);
  }

  /** An IANA time zone such as `Europe/Helsinki`. */
  timeZone(name: string, fallback: string): string {
    return this.read(name, timeZoneName, fallback);
  }

  /** Throws one {@link ConfigError} naming every problem seen so far; returns when there is none. */
  done(): void {
    if (this.#problems.length === 0) return;
    const names = [...new Set(this.#problems.map((problem) => problem.name))];
    throw new ConfigError(
      names,
      `Configuration error: ${this.#problems.map((problem) => problem.message).join('; ')}`,
    );
  }
}
