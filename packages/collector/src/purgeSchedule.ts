/** How long after a failed purge the next one runs, at first (ms); it doubles up to the interval. */
export const PURGE_RETRY_MS = 60_000;

/** The purges of one collector; see {@link purgeSchedule}. */
export interface PurgeSchedule {
  /** Runs a purge now, unless one is running; the next is then timed from its end. */
  run(): void;
  /** The purge in progress, if any. */
  readonly running: Promise<void> | undefined;
}

/**
 * Runs `purge` every `everyMs`, one at a time. One that failed (a Redis that stalled, a dropped
 * connection) is tried again after `retryMs`, doubling with each failure in a row up to `everyMs`:
 * waiting for the next hourly run kept expired data an hour longer for a blip of seconds, and a
 * Redis that stays down is not asked again in a tight loop. Once `halt` is aborted nothing more is
 * started, and the purge in progress (given `halt`) stops at its next step.
 */
export function purgeSchedule(purge: (signal: AbortSignal) => Promise<void>, halt: AbortSignal, report: (e: unknown) => void, everyMs: number, retryMs = PURGE_RETRY_MS): PurgeSchedule {
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(run, failures === 0 ? everyMs : Math.min(everyMs, retryMs * 2 ** (failures - 1)));
    timer.unref();
  };
  const run = () => {
    if (running || halt.aborted) return;
    clearTimeout(timer);
    running = purge(halt)
      .then(() => { failures = 0; }, (e: unknown) => { failures++; if (!halt.aborted) report(e); })
      .finally(() => { running = undefined; if (!halt.aborted) arm(); });
  };
  halt.addEventListener('abort', () => { clearTimeout(timer); }, { once: true });
  arm();
  return { run, get running() { return running; } };
}
