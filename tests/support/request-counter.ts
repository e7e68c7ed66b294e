import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../../src/shared/ports.js';

/** HTTP requests an S3 client has sent, per SDK command name (`GetObjectCommand`, …). */
export interface RequestCounter {
  /** Requests since the last {@link RequestCounter.reset}, total and per command. */
  snapshot(): { total: number; byCommand: Record<string, number> };
  reset(): void;
}

/**
 * Counts every HTTP request `client` sends, retries included: the middleware sits in the
 * deserialize step, which runs once per attempt (the retry loop is in the step before it), and
 * each page of a paginated listing is its own request.
 */
export function countRequests(client: S3Client): RequestCounter {
  let byCommand: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name: 'newsroomRequestCounter', override: true },
  );
  return {
    snapshot() {
      const total = Object.values(byCommand).reduce((sum, count) => sum + count, 0);
      return { total, byCommand: { ...byCommand } };
    },
    reset() {
      byCommand = {};
    },
  };
}

/**
 * `store` with every call counted, at the port rather than the S3 client: for the in-memory
 * stores, where there is no HTTP to count. A listing counts once, whatever its pages.
 */
export function countingStore(store: ObjectStore): { store: ObjectStore; requests: () => number } {
  let requests = 0;
  const count = <T>(value: T): T => {
    requests += 1;
    return value;
  };
  return {
    requests: () => requests,
    store: {
      get: (key) => count(store.get(key)),
      put: (key, body, options) => count(store.put(key, body, options)),
      delete: (key) => count(store.delete(key)),
      list: (prefix) => count(store.list(prefix)),
    },
  };
}
