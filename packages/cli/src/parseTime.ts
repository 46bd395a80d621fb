// Date's own range: beyond it toISOString throws, so such an instant cannot be printed.
const MAX_MS = 8.64e15;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An instant from epoch milliseconds (a number or a string of digits) or an ISO 8601 string,
 * floored to an integer like the engine does; `null` when it is neither. Only ISO syntax is
 * accepted: `Date.parse` alone would also take locale formats such as `"1/2/2026"`.
 */
export function parseTime(value: unknown): number | null {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) ms = Number(value);
  else if (typeof value === 'string' && ISO.test(value)) ms = Date.parse(value);
  else return null;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return null;
  return Math.floor(ms);
}
