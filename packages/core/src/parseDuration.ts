const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration (`30m`, `24h`, `7d`, or integer milliseconds) to milliseconds.
 * Returns `undefined` for anything else, so callers decide how to report it.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  // Any number of digits (leading zeros, 16-digit milliseconds): a product above 2^53 reads as an
  // unsafe number and is refused, so no digit limit is needed for exactness.
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(value);
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNITS[m[2] as string] as number);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
