import type { Rec } from '../Rec.js';
import { flipBelow } from './Leaf.js';
import { WindowLeaf } from './WindowLeaf.js';

/**
 * `count`: the number of matching events in the window. With the test's thresholds known it
 * schedules only the expiry that flips the verdict, not every window edge.
 */
export class CountLeaf extends WindowLeaf {
  protected add(_r: Rec): void {}
  protected remove(_r: Rec): void {}
  protected clear(): void {}

  value(now: number): number {
    this.advance(now);
    return this.size();
  }

  override nextAt(now: number): number {
    const c = this.value(now);
    const test = this.verdictOf;
    if (!test || typeof this.within !== 'number' || c === 0) return super.nextAt(now);
    const v = flipBelow(test, this.numbers, c);
    return v < 0 ? Infinity : (this.alpha.items[this.lo + c - v - 1] as Rec).t + this.within;
  }
}
