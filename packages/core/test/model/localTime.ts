const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local hour (0-23) and weekday (0-6, Sunday 0) of instant `t` in IANA zone `timeZone`, via Intl. */
export function localHourWeekday(t: number, timeZone: string): { hour: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  let hour = NaN;
  let weekday = NaN;
  for (const part of f.formatToParts(new Date(t))) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? NaN;
  }
  return { hour, weekday };
}

/** Every zone offset in use is a multiple of 15 minutes, so local hours turn only on these UTC instants. */
export const QUARTER_HOUR = 900_000;
