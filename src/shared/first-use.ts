/**
 * `make()` run once, at first use, and shared by every later call. A failure is not kept: the next
 * call tries again. Lambda functions build what depends on the bucket's `releases/site.json` this
 * way, so a cold start makes no network call (it cannot fail there, where Lambda would retry the
 * whole init) and a broken file fails only the invocations that need it until it is fixed.
 */
export function atFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
