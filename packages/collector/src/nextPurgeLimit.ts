/** Rows of each kind one purge step deletes at most: a beacon that comes during a purge waits for one step, not all of it. */
export const PURGE_STEP = 500;
/** Rows of each kind the first step of a purge deletes (see `nextPurgeLimit`). */
export const PURGE_FIRST = 32;

/**
 * The next purge step's rows of each kind, from the last step's `limit` and time: halved past
 * 8 ms, doubled under 4 ms, within [16, PURGE_STEP]. A beacon that comes during a purge waits
 * about one step, and rows cost more or less by kind and by how warm the cache is.
 */
export function nextPurgeLimit(limit: number, ms: number): number {
  if (ms > 8) return Math.max(16, limit >> 1);
  return ms < 4 ? Math.min(PURGE_STEP, limit * 2) : limit;
}
