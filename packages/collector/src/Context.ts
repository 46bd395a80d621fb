import type { Store } from './Store.js';
import type { RateLimiter } from './RateLimiter.js';
import type { ApplyOutcome } from './types.js';

/** Everything a route handler needs, built once by `createCollector`. */
export interface Context {
  store: Store;
  allowOrigins: ReadonlySet<string>;
  limiter: RateLimiter | null;
  trustProxy: boolean;
  now: () => number;
  authorized: (header: string | undefined) => boolean;
  /** Batches being applied, so a concurrent duplicate waits for the original's commit. */
  inflight: Map<string, Promise<ApplyOutcome>>;
  /** Called after a batch is applied (wakes the webhook sender). */
  applied: () => void;
  /** Reports an unexpected (server-side) failure. */
  report: (e: unknown) => void;
  /**
   * A store call a request waits for, rejected once `storeTimeoutMs` have passed: a store that
   * stopped answering (a stalled Redis) held each request open for as long as it did.
   */
  timely: <T>(work: Promise<T>) => Promise<T>;
}

/** The beacon body limit: 64 KiB, 65,536 bytes accepted. */
export const MAX_BODY = 65_536;
