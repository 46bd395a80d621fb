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
 */
export function otherUnit(n: number): OtherUnit | null {
  if (n >= 1e9 && n < 1e11) return { name: 'seconds', ms: n * 1000, fix: 'multiply it by 1000' };
  if (n >= 1e14 && n < 1e17) return { name: 'microseconds', ms: n / 1000, fix: 'divide it by 1000' };
  if (n >= 1e17) return { name: 'nanoseconds', ms: n / 1e6, fix: 'divide it by 1000000' };
  return null;
}
