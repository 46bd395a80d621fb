const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The model's own duration parser (spec 3): integer ms, or `<int><unit>`; throws on anything else. */
export function durationMs(d: unknown): number {
  if (typeof d === 'number' && Number.isInteger(d) && d >= 0) return d;
  if (typeof d === 'string') {
    const m = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(d);
    if (m) return Number(m[1]) * UNITS[m[2]!]!;
  }
  throw new Error(`model: bad duration ${JSON.stringify(d)}`);
}
