/** Backoff bounds of the runtime spec: 1 s doubling to 60 s, jittered. */
export const MIN_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60_000;
/** A batch not acknowledged 24 h after it was queued is given up. */
export const GIVE_UP_MS = 24 * 60 * 60 * 1000;

/** What to do with a batch after one `fetch` attempt. */
export type Outcome = 'acked' | 'retry' | 'drop';

/** 2xx acknowledges; network errors (status 0 here), 408, 429 and 5xx are retried; other statuses drop the batch. */
export function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return 'acked';
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'drop';
}

/**
 * Delay before attempt `attempts + 1` (`attempts` >= 1 failures so far): a random point in the
 * upper half of `1 s * 2^(attempts-1)`, kept within [1 s, 60 s]. Jitter spreads the tabs and
 * devices that failed together, so a collector coming back is not hit by all of them at once.
 */
export function backoffDelay(attempts: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 16)));
  const floor = Math.max(MIN_DELAY_MS, ceiling / 2);
  return Math.round(floor + random() * (ceiling - floor));
}

/** `Retry-After` as milliseconds from `now` (delta seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
