import { belowSeconds, otherUnit } from './otherUnit.js';

// Date's own range: beyond it toISOString throws, so such an instant cannot be printed.
const MAX_MS = 8.64e15;
// Digits with an optional fraction, as a number is accepted with one: exports write Unix time so.
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** An instant, or why the value is not one (a phrase to follow `"t"` or `--at`). */
export type TimeResult = { ok: true; ms: number } | { ok: false; problem: string };

/** The phrase for a value that is neither epoch milliseconds nor ISO 8601. */
export const NOT_A_TIME = 'must be epoch milliseconds or an ISO 8601 time';

/**
 * An instant from epoch milliseconds (a number, or a string of digits with an optional fraction)
 * or an ISO 8601 string, floored to an integer like the engine does; `null` when it is neither.
 * See `readTime`.
 */
export function parseTime(value: unknown): number | null {
  const read = readTime(value);
  return read.ok ? read.ms : null;
}

/**
 * `parseTime` with the reason for a refusal. Only ISO syntax is accepted (`T` and `Z` in either
 * case, as RFC 3339 allows): `Date.parse` alone would also take locale formats such as
 * `"1/2/2026"`. A date alone is midnight UTC; a date with a time needs `Z` or an offset, since
 * `Date.parse` would read it in the machine's zone and the same log would replay differently on
 * another machine. A date or time that does not exist (`2026-02-30`, `24:00`) is refused, where
 * `Date.parse` would roll it over into the next month or day. A number that is a plausible
 * instant only in seconds, microseconds or nanoseconds is refused with the instant it would be in
 * that unit (see `otherUnit`, and its `fromZero`).
 */
export function readTime(value: unknown, fromZero = false): TimeResult {
  let ms: number;
  if (numeric(value)) {
    ms = Number(value);
    const unit = otherUnit(ms, fromZero);
    if (unit !== null && Math.abs(unit.ms) <= MAX_MS) {
      // The milliseconds reading is shown for seconds only: it is the 1970 date the user saw.
      const asMs = unit.name === 'seconds' ? ` (${iso(ms)})` : '';
      return { ok: false, problem: `is ${String(value)}, which looks like epoch ${unit.name} (${iso(unit.ms)}), not milliseconds${asMs}; ${unit.fix}` };
    }
  } else {
    const m = typeof value === 'string' ? ISO.exec(value) : null;
    if (m === null) return { ok: false, problem: NOT_A_TIME };
    const [, year, month, day, hour, minute, second, zone] = m;
    if (hour !== undefined && zone === undefined) {
      return { ok: false, problem: `has no time zone ("${String(value)}"): add Z for UTC or an offset such as +01:00` };
    }
    if (!exists(Number(year), Number(month), Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0))) {
      return { ok: false, problem: `is not a real date and time ("${String(value)}")` };
    }
    ms = Date.parse((value as string).toUpperCase());
  }
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return { ok: false, problem: NOT_A_TIME };
  return { ok: true, ms: Math.floor(ms) };
}

/** Whether `value` is a number (or a string of one) below 1e9: a time of a log counted from 0. */
export function countsFromZero(value: unknown): boolean {
  return numeric(value) && belowSeconds(Number(value));
}

/** A number, or a string of digits with an optional fraction: read as an epoch number. */
const numeric = (value: unknown): value is number | string => typeof value === 'number' || (typeof value === 'string' && NUMBER.test(value));

/** An instant within Date's range, floored as the engine does, in ISO 8601. */
const iso = (ms: number): string => new Date(Math.floor(ms)).toISOString();

/** Whether the fields round-trip through a UTC date: false for Feb 30, hour 24, second 60. */
function exists(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, not Date.UTC: years 0-99 stay as written
  d.setUTCHours(hour, minute, second);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
    && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
}
