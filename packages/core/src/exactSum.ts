const SCALE = 2 ** 80;
const TINY = 2 ** -900;
const LIMIT = 2 ** 52;

/** Shewchuk's non-overlapping partials (as in Python's fsum): adding x keeps the sum exact. */
function grow(p: number[], x: number): void {
  let i = 0;
  for (let j = 0; j < p.length; j++) {
    let y = p[j] as number;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[i++] = lo;
    x = hi;
  }
  p.length = i;
  if (x !== 0) p.push(x);
}

/** The correctly rounded value of partials (round half to even across partials). */
function round(p: readonly number[]): number {
  let n = p.length;
  if (n === 0) return 0;
  let hi = p[--n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n] as number;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && (p[n - 1] as number) < 0) || (lo > 0 && (p[n - 1] as number) > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/**
 * An exact running sum of doubles. Removing a value is adding its negation, and the result is the
 * correctly rounded exact sum, so a sliding window gives the same figure as summing its members
 * from scratch, in any order. Values are kept scaled down by 2^80 so that a total beyond the
 * largest double reads as Infinity and recovers exactly once values leave; tiny values, which
 * scaling would round, are kept apart unscaled.
 */
export class ExactSum {
  private big: number[] = [];
  private small: number[] = [];
  /**
   * The integers (prices in cents, quantities, counts), summed as a plain double: exact while
   * each term and the total stay within 2^52, which is checked before each addition. Sums of
   * whole numbers, the usual case, never touch the partials.
   */
  private whole = 0;

  add(x: number): void {
    if (Number.isInteger(x) && Math.abs(x) <= LIMIT && Math.abs(this.whole) <= LIMIT) this.whole += x;
    else if (Math.abs(x) < TINY) grow(this.small, x);
    else grow(this.big, x / SCALE);
  }

  /**
   * The sum divided by `n` (an average's count): a total past the largest double is divided while
   * still scaled, so the average of two values near it is finite, not Infinity.
   */
  value(n = 1): number {
    if (this.big.length === 0 && this.small.length === 0) return this.whole / n;
    const all = this.small.slice();
    for (const b of this.big) {
      const x = b * SCALE;
      if (!Number.isFinite(x)) return (round(this.big) / n) * SCALE;
      grow(all, x);
    }
    grow(all, this.whole);
    return round(all) / n;
  }

  clear(): void {
    this.big.length = 0;
    this.small.length = 0;
    this.whole = 0;
  }
}
