/**
 * The `feed` package's output did not have the shape our post-processing relies on (for example
 * after an upgrade changed its serializer). Raised instead of writing a feed that might be broken.
 */
export class FeedOutputError extends Error {
  override readonly name = 'FeedOutputError';
  constructor(
    readonly format: 'atom' | 'rss' | 'json',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Unexpected ${format} output from the feed package: ${message}`, options);
  }
}
