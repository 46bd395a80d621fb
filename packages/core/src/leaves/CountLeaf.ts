import type { Rec } from '../Rec.js';
import { WindowLeaf } from './WindowLeaf.js';

/**
 * `count`: the number of matching events in the window. With the test's thresholds known it
 * schedules only the expiry that flips the verdict, not every window edge.
 */
export class CountLeaf extends WindowLeaf {
  test: ((v: unknown) => boolean) | null = null;
  numbers: readonly number[] = [];

  protected add(_r: Rec): void {}
  protected remove(_r: Rec): void {}
  protected clear(): void {}

  value(now: number): number {
    this.advance(now);
    return this.size();
  }

  override nextAt(now: number): number {
    const c = this.value(now);
    const test = this.test;
    if (!test || typeof this.within !== 'number' || c === 0) return super.nextAt(now);
    const verdict = test(c);
    // Between integers the verdict can only flip at floor(x) or ceil(x) - 1 of an operand x.
    let v = -1;
    for (const x of this.numbers) {
      const lo = Math.floor(x), hi = Math.ceil(x) - 1;
      if (lo < c && lo > v && test(lo) !== verdict) v = lo;
      if (hi < c && hi > v && test(hi) !== verdict) v = hi;
    }
    if (v < 0) return Infinity;
    return (this.alpha.items[this.lo + c - v - 1] as Rec).t + this.within;
  }
}
