/** Where in a release file a problem is: a 1-based line in the original file and/or a field name. */
export interface ProblemLocation {
  line?: number;
  field?: string;
}

/**
 * A release file breaks the release format. Thrown inside the release modules and turned into a
 * `ReleaseProblem` by `parseRelease`, so each check can stop where it finds the problem.
 */
export class ReleaseFormatError extends Error {
  override readonly name = 'ReleaseFormatError';
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(message: string, location: ProblemLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.line = location.line;
    this.field = location.field;
  }
}
