/** A hand-driven clock for the engine's `now()` option: time only moves when a test moves it. */
export interface FakeClock {
  now: () => number;
  set: (t: number) => number;
  advance: (ms: number) => number;
}

/** Monday 2026-01-05 12:00:00 UTC: a fixed, unremarkable start instant for tests. */
export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function fakeClock(start: number = T0): FakeClock {
  let t = start;
  return {
    now: () => t,
    set: (v) => (t = v),
    advance: (ms) => (t += ms),
  };
}
