/**
 * Longest single wait: the wall clock is checked again at least once a minute. `setTimeout` counts
 * a clock some systems stop while asleep, so a 30-minute delay armed before an hour of sleep fired
 * 30 minutes after waking when no `visibilitychange` came; re-armed every minute, it fires within
 * a minute. (It also keeps every delay far under the 2^31-1 ms `setTimeout` honours.)
 */
export const MAX_DELAY = 60_000;

/** The facade's single timer: armed for one absolute instant at a time. */
export interface Timer {
  /** Arms for `at` (ms since the epoch), replacing any earlier arming; `null` disarms. */
  arm(at: number | null): void;
  clear(): void;
}

/**
 * One `setTimeout` at the engine's `nextChange()`. A delay over `MAX_DELAY` is capped and the
 * timer re-armed when it fires early; `onDue` runs only once the instant has really come.
 */
export function createTimer(win: Window, now: () => number, onDue: () => void): Timer {
  let handle: number | undefined;
  let target: number | null = null;
  /** When the pending `setTimeout` fires. */
  let firesAt = 0;
  const clear = (): void => {
    if (handle !== undefined) win.clearTimeout(handle);
    handle = undefined;
  };
  const arm = (at: number | null): void => {
    target = at;
    // Armed on every event: a timeout due no later than `at` is kept (firing early, it re-arms for
    // `target`), which spares a clearTimeout/setTimeout pair per event when the instant moves later.
    if (at !== null && handle !== undefined && firesAt <= at) return;
    clear();
    if (at === null) return;
    const delay = Math.min(Math.max(0, at - now()), MAX_DELAY);
    firesAt = now() + delay;
    handle = win.setTimeout(() => {
      handle = undefined;
      if (target !== null && now() < target) arm(target);
      else onDue();
    }, delay);
  };
  return { arm, clear: () => { target = null; clear(); } };
}
