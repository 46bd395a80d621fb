/** A unit other than milliseconds that an epoch number is written in, and how to get milliseconds. */
export interface OtherUnit { name: 'seconds' | 'microseconds' | 'nanoseconds'; ms: number; fix: string }

/**
 * The unit an epoch number is in when it is not milliseconds, or null. Logs exported by other
 * tools write seconds (Unix time, Python's `time.time()`), microseconds (GA4's BigQuery export)
 * or nanoseconds, and read as milliseconds these replay in January 1970 or thousands of years
 * ahead without a word. Each unit covers 1973-03-03 to the year 5138 over three orders of
 * magnitude, and the ranges do not overlap: a positive number from 1e9 to below 1e11 is seconds
 * (2001-09-09 on; as milliseconds it would be 1970-01-12 to 1973-03-03), from 1e14 to below 1e17
 * microseconds, from 1e17 nanoseconds; milliseconds are 1e11 to below 1e14. Numbers below 1e9
 * (the first 11 days of 1970 in milliseconds, as hand-written logs use: 0, 60000) and negative
 * ones stay milliseconds. Such an instant in milliseconds can still be written in ISO 8601.
 * `fromZero` is for a log counted from 0 (it has a time below 1e9, see `countsFromZero`): its
 * later times run into the seconds range after 11 days (a 30-day window tried by hand), so there
 * that range is milliseconds too.
 */
export function otherUnit(n: number, fromZero = false): OtherUnit | null {
  if (n >= 1e9 && n < 1e11 && !fromZero) return { name: 'seconds', ms: n * 1000, fix: 'multiply it by 1000' };
  if (n >= 1e14 && n < 1e17) return { name: 'microseconds', ms: n / 1000, fix: 'divide it by 1000' };
  if (n >= 1e17) return { name: 'nanoseconds', ms: n / 1e6, fix: 'divide it by 1000000' };
  return null;
}

/** Whether an epoch number is below the seconds range: the time of a log counted from 0. */
export const belowSeconds = (n: number): boolean => n < 1e9;
