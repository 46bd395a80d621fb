const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The UTC day a change is counted on: its device time clamped to the receive time +/- 24 h, so
 * a wrong device clock cannot write history far in the past or future.
 */
export function changeDay(t: number, receivedAt: number): string {
  return utcDay(Math.min(Math.max(t, receivedAt - DAY_MS), receivedAt + DAY_MS));
}

/** The `days` UTC days ending with the day of `now`, oldest first. */
export function dayWindow(days: number, now: number): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(utcDay(today - i * DAY_MS));
  return out;
}
